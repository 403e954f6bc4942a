/**
 * What the two baseline servers (raw node:http, Express) do for each route, on the project's own
 * schema and migrated file: the same work ChronoTrack does, written the way a small hand-rolled
 * server would, with no framework or ORM between the request and better-sqlite3. Every statement
 * is its own transaction (autocommit), as such a server's are. Bench code, not product code.
 *
 * Writes with RETURNING use `.all()`, never `.get()`: `.get()` leaves the statement mid-step, and
 * an unfinished statement pins the WAL so that no checkpoint can reset it (it grew past 800 MB in
 * ten seconds of load before this).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface RunRow {
  id: number;
  job_id: number;
  status: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  duration_ms: number | null;
  error_message: string | null;
  metadata: string | null;
  exit_code: number | null;
  last_heartbeat_at: number | null;
  slow: number;
  output: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const runJson = (row: RunRow) => ({
  id: row.id,
  jobId: row.job_id,
  status: row.status,
  createdAt: iso(row.created_at),
  startedAt: iso(row.started_at),
  finishedAt: iso(row.finished_at),
  durationMs: row.duration_ms,
  errorMessage: row.error_message,
  metadata: row.metadata === null ? null : JSON.parse(row.metadata),
  exitCode: row.exit_code,
  lastHeartbeatAt: iso(row.last_heartbeat_at),
  slow: row.slow === 1,
});
/** A run read or changed by itself carries its output too, as ChronoTrack's `PATCH` answers. */
const runDetailJson = (row: RunRow) => ({ ...runJson(row), output: row.output });

const TRANSITIONS: Record<string, string[]> = {
  PENDING: ['RUNNING', 'CANCELLED'],
  RUNNING: ['SUCCESS', 'FAILED', 'CANCELLED'],
};
const problem = (status: number, detail: string): Reply => ({ status, body: { status, detail } });
const sha256 = (text: string) => createHash('sha256').update(text).digest();

export function openBaselineStore(file: string, adminKey: string) {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const insertRun = db.prepare(
    `INSERT INTO job_runs (job_id, status, created_at, metadata)
     SELECT id, 'PENDING', ?, NULL FROM jobs WHERE id = ? AND archived = 0 RETURNING *`,
  );
  const findRun = db.prepare('SELECT * FROM job_runs WHERE id = ?');
  const updateRun = db.prepare(
    `UPDATE job_runs SET status = ?, started_at = coalesce(started_at, ?), finished_at = ?,
     error_message = ? WHERE id = ? AND status = ? RETURNING *`,
  );
  const page = db.prepare(
    'SELECT * FROM job_runs WHERE job_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
  );
  const adminHash = sha256(adminKey);

  return {
    /** Bearer key check in constant time, as ChronoTrack does for ADMIN_API_KEY. */
    authorized(header: string | undefined): boolean {
      if (!header?.startsWith('Bearer ')) return false;
      return timingSafeEqual(sha256(header.slice(7)), adminHash);
    },
    health(): Reply {
      db.prepare('select 1').get();
      return { status: 200, body: { status: 'ok' } };
    },
    createRun(jobId: number): Reply {
      const [row] = insertRun.all(Date.now(), jobId) as RunRow[];
      if (!row) return problem(404, `Job ${jobId} not found.`);
      return { status: 201, body: runJson(row), headers: { location: `/api/runs/${row.id}` } };
    },
    transition(runId: number, input: unknown): Reply {
      const body = input as { status?: unknown; errorMessage?: unknown } | null;
      const to = body?.status;
      if (typeof to !== 'string' || !['RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED'].includes(to))
        return problem(400, 'status must be RUNNING, SUCCESS, FAILED or CANCELLED.');
      const run = findRun.get(runId) as RunRow | undefined;
      if (!run) return problem(404, `Run ${runId} not found.`);
      if (!TRANSITIONS[run.status]?.includes(to))
        return problem(409, `Run ${runId} cannot move from ${run.status} to ${to}.`);
      const now = Date.now();
      const error =
        to === 'FAILED' && typeof body?.errorMessage === 'string' ? body.errorMessage : null;
      const [updated] = updateRun.all(
        to,
        now,
        to === 'RUNNING' ? null : now,
        error,
        runId,
        run.status,
      ) as RunRow[];
      if (!updated) return problem(409, `Run ${runId} changed concurrently.`);
      return { status: 200, body: runDetailJson(updated) };
    },
    runsPage(jobId: number, limit: number): Reply {
      const rows = page.all(jobId, limit + 1) as RunRow[];
      const last = rows.length > limit ? rows[limit - 1] : undefined;
      const nextCursor = last
        ? Buffer.from(JSON.stringify({ k: last.created_at, id: last.id })).toString('base64url')
        : null;
      return { status: 200, body: { data: rows.slice(0, limit).map(runJson), nextCursor } };
    },
  };
}

export type BaselineStore = ReturnType<typeof openBaselineStore>;
