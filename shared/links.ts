/**
 * The server's public addresses, from PUBLIC_URL (already without a trailing slash): the
 * dashboard's pages of a job and a run (web/src: /jobs/{id}, /runs/{runId}) and a job's ping
 * URL. Without PUBLIC_URL there are no absolute links: null, or the ping's relative path.
 */
export interface PublicLinks {
  job(id: number): string | null;
  run(id: number): string | null;
  /** `${PUBLIC_URL}/ping/{uuid}`, or `/ping/{uuid}` relative to the server. */
  ping(uuid: string): string;
}

export function publicLinks(publicUrl: string | null): PublicLinks {
  const base = publicUrl ?? '';
  return {
    job: (id) => (publicUrl ? `${base}/jobs/${id}` : null),
    run: (id) => (publicUrl ? `${base}/runs/${id}` : null),
    ping: (uuid) => `${base}/ping/${uuid}`,
  };
}
