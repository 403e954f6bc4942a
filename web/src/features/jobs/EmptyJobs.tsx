/** No jobs yet: how to report the first run, with this server's own URL. */
export function EmptyJobs({ filtered }: { filtered: boolean }) {
  if (filtered) return <p className="empty">No job matches these filters.</p>;
  const origin = window.location.origin;
  const snippet = [
    `export CT_AUTH="Authorization: Bearer $CHRONOTRACK_API_KEY"`,
    `curl -s -X POST ${origin}/api/jobs -H "$CT_AUTH" -H 'Content-Type: application/json' -d '{"name":"Nightly backup","type":"backup"}'`,
    `curl -s -X POST ${origin}/api/jobs/1/runs -H "$CT_AUTH" -H 'Content-Type: application/json' -d '{"status":"RUNNING"}'`,
    `curl -s -X PATCH ${origin}/api/runs/1 -H "$CT_AUTH" -H 'Content-Type: application/json' -d '{"status":"SUCCESS"}'`,
  ].join('\n');
  return (
    <section className="card empty">
      <h2>No jobs yet</h2>
      <p>
        Report a job and its first run from any script with a <code>write</code> key: they appear
        here within seconds.
      </p>
      <pre>
        <code>{snippet}</code>
      </pre>
      <button type="button" onClick={() => void navigator.clipboard?.writeText(snippet)}>
        Copy
      </button>
    </section>
  );
}
