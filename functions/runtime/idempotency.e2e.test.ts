import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { startNodeServer, type NodeServer } from '../../test/support/node-process.js';

/**
 * Idempotency keys live in the database, not in a process: two Node servers over one SQLite file
 * (each with its own group commit) answer retries of one request alike.
 */
describe('Idempotency-Key across processes (two Node servers, one SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-idem-e2e-'));
  const servers: NodeServer[] = [];
  afterAll(async () => {
    for (const server of servers) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('20 identical requests spread over both create one run; each server replays it', async () => {
    const env = {
      DATABASE_FILE: join(dir, 'shared.db'),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      NODE_ENV: 'test',
    };
    // One after the other: the first applies the migrations.
    servers.push(await startNodeServer(env));
    servers.push(await startNodeServer(env));
    const headers = {
      Authorization: `Bearer ${TEST_ADMIN_KEY}`,
      'Content-Type': 'application/json',
    };
    const post = (server: NodeServer, path: string, body: unknown, key?: string) =>
      fetch(`${server.baseUrl}${path}`, {
        method: 'POST',
        headers: key ? { ...headers, 'Idempotency-Key': key } : headers,
        body: JSON.stringify(body),
      });
    const job = (await (
      await post(servers[0]!, '/api/jobs', { name: 'two processes' })
    ).json()) as {
      id: number;
    };

    const key = crypto.randomUUID();
    const path = `/api/jobs/${job.id}/runs`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const res = await post(servers[i % 2]!, path, { status: 'RUNNING' }, key);
        return {
          status: res.status,
          replayed: res.headers.get('Idempotent-Replayed'),
          text: await res.text(),
        };
      }),
    );
    const created = answers.filter((a) => a.status === 201 && a.replayed === null);
    expect(created, answers.map((a) => a.status).join(',')).toHaveLength(1);
    for (const answer of answers) {
      expect([201, 409]).toContain(answer.status);
      if (answer.status === 201) expect(answer.text).toBe(created[0]!.text);
    }

    for (const server of servers) {
      const again = await post(server, path, { status: 'RUNNING' }, key);
      expect(again.headers.get('Idempotent-Replayed')).toBe('true');
      expect(await again.text()).toBe(created[0]!.text);
    }
    const runs = (await (await fetch(`${servers[1]!.baseUrl}${path}`, { headers })).json()) as {
      data: unknown[];
    };
    expect(runs.data).toHaveLength(1);
  });
});
