import BetterSqlite3 from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { concurrently, LoadClient, serverEnv, type Answer } from '../../test/support/http-load.js';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import {
  startNodeServer,
  stopNodeServer,
  type NodeServer,
} from '../../test/support/node-process.js';

/**
 * A full disk for real (issue 25): the database on an 8 MiB tmpfs, a filler file taking every
 * byte left, a real Node server writing to it. Mounting needs root (CI runs as root); anywhere
 * else the test is skipped and says why.
 */
const dir = mkdtempSync(join(tmpdir(), 'chronotrack-full-disk-'));
let unmountable: string | null = null;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], { stdio: 'pipe' });
} catch (error) {
  unmountable = String((error as { stderr?: Buffer }).stderr ?? error).trim();
  console.warn(`full-disk e2e skipped: cannot mount a tmpfs at ${dir} (${unmountable})`);
}

/** Writes zeros until the volume says ENOSPC, the last bytes a page at a time. */
function fill(file: string): number {
  const fd = openSync(file, 'w');
  let written = 0;
  try {
    for (const size of [1 << 20, 4096, 512]) {
      const zeros = Buffer.alloc(size);
      try {
        for (;;) written += writeSync(fd, zeros);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

const metric = (text: string, name: string) =>
  Number(
    text
      .split('\n')
      .find((line) => line.startsWith(`${name} `))
      ?.split(' ')[1] ?? NaN,
  );

describe.skipIf(unmountable !== null)('a full disk under a real Node server', () => {
  let server: NodeServer | undefined;
  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    if (unmountable === null) execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes get 507 STORAGE_FULL, reads go on, /health and /metrics say so; freed space lets writes resume with nothing lost', async () => {
    const file = join(dir, 'chronotrack.db');
    const filler = join(dir, 'filler');
    server = await startNodeServer({ ...serverEnv(file), SWEEP_INTERVAL_SECONDS: '1' });
    const api = new LoadClient(server.baseUrl);
    const scrape = async () =>
      (await fetch(`${server!.baseUrl}/metrics`, {
        headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` },
      }).then((res) => res.text())) as string;
    const job = await api.post('/api/jobs', { name: 'full disk' });
    expect(job.status).toBe(201);

    const acknowledged = new Set<number>();
    const answers: Answer[] = [];
    const createRun = async () => {
      const answer = await api.post(`/api/jobs/${job.body.id}/runs`, {
        metadata: { pad: 'x'.repeat(1500) },
      });
      answers.push(answer);
      if (answer.status === 201) acknowledged.add(answer.body.id);
      return answer;
    };
    await concurrently(8, async () => {
      for (let i = 0; i < 25; i++) expect((await createRun()).status).toBe(201);
    });

    const filled = fill(filler);
    expect(statfsSync(dir).bavail).toBe(0);
    // What is left inside the WAL and the database's free pages may take a few more writes.
    let refused = 0;
    await concurrently(8, async () => {
      for (let i = 0; i < 300 && refused < 40; i++) {
        if ((await createRun()).status === 507) refused++;
      }
    });
    const odd = answers.filter((answer) => answer.status !== 201 && answer.status !== 507);
    expect(odd.map((answer) => `${answer.status} ${answer.text}`)).toEqual([]);
    expect(refused).toBeGreaterThanOrEqual(40);
    const problem = answers.find((answer) => answer.status === 507)!;
    expect(problem.body).toMatchObject({ code: 'STORAGE_FULL', status: 507 });
    expect(problem.text).not.toMatch(/SQLITE|disk I\/O/);

    // The server is up and reads answer: a run by id, a page, the job.
    const some = [...acknowledged].at(-1)!;
    expect((await api.get(`/api/runs/${some}`)).status).toBe(200);
    expect((await api.get(`/api/jobs/${job.body.id}/runs?limit=100`)).status).toBe(200);
    expect((await api.get(`/api/jobs/${job.body.id}`)).status).toBe(200);
    for (const path of ['/health', '/api/health']) {
      const health = await api.get(path);
      expect(health.status, path).toBe(200);
      expect(health.body, path).toEqual({ status: 'degraded', storage: 'full' });
    }
    const fullMetrics = await scrape();
    expect(metric(fullMetrics, 'chronotrack_storage_full')).toBe(1);
    expect(metric(fullMetrics, 'chronotrack_storage_refused_writes_total')).toBeGreaterThanOrEqual(
      refused,
    );
    const fullLines = server
      .output()
      .split('\n')
      .filter((l) => l.includes('storage full:'));
    expect(fullLines).toHaveLength(1);

    // Space comes back: writes succeed without a restart.
    rmSync(filler);
    const after = await createRun();
    expect(after.status).toBe(201);
    const moved = await api.patch(`/api/runs/${after.body.id}`, { status: 'RUNNING' });
    expect(moved.status).toBe(200);
    expect((await api.get('/health')).body).toEqual({ status: 'ok' });
    expect(metric(await scrape(), 'chronotrack_storage_full')).toBe(0);
    await concurrently(4, async () => {
      for (let i = 0; i < 10; i++) expect((await createRun()).status).toBe(201);
    });

    await stopNodeServer(server);
    const lines = server.output().split('\n');
    expect(lines.filter((l) => l.includes('"msg":"storage full: writes refused"'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('"msg":"storage writable again"'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('"msg":"unhandled error"'))).toEqual([]);

    const sqlite = new BetterSqlite3(file);
    try {
      expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Set(
        (sqlite.prepare('SELECT id FROM job_runs').all() as Array<{ id: number }>).map((r) => r.id),
      );
      expect([...acknowledged].filter((id) => !stored.has(id))).toEqual([]);
      console.info('full disk', {
        fillerBytes: filled,
        acknowledged: acknowledged.size,
        refused,
        answers: answers.length,
      });
    } finally {
      sqlite.close();
    }
  }, 60_000);
});
