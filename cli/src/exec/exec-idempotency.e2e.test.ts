import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, startCli, untilFileExists } from '../../../test/cli/cli-process.js';
import { useTracker } from '../../../test/cli/tracker.js';
import { startLossyProxy } from '../../../test/cli/lossy-proxy.js';

/**
 * The Idempotency-Key that makes exec's create safe to retry: when the answer to the first
 * attempt is lost on the way back, the retry gets the same run instead of making a second one.
 */

describe('exec: idempotent creates', () => {
  const { dir, tracker } = useTracker('chronotrack-cli-idempotency-');

  const firstRun = (key: string) =>
    eventually(async () => {
      const list = await tracker().api('GET', `/jobs/by-key/${key}/runs`);
      return list.status === 200 ? list.body.data[0] : undefined;
    });

  it('a create whose answer was lost is retried with the same Idempotency-Key: one run, not two', async () => {
    const proxy = await startLossyProxy(tracker().url, 1);
    const done = join(dir, 'lossy-done');
    const cli = startCli(['exec', '--job', 'lossy', '--', ...untilFileExists(done)], {
      env: { ...tracker().env, CHRONOTRACK_URL: proxy.url },
    });
    try {
      // The first create lands but its answer never comes: the wrapper gives up waiting...
      await cli.waitForStderr('chronotrack: cannot reach the tracker (no answer within 5s)');
      // ...and its retry in the background gets the same run back.
      const run = await firstRun('lossy');
      writeFileSync(done, '');
      const result = await cli.done;
      expect(result.code).toBe(0);
      const list = await tracker().api('GET', '/jobs/by-key/lossy/runs');
      expect(list.body.data).toHaveLength(1);
      expect(list.body.data[0]).toMatchObject({ id: run.id, status: 'SUCCESS' });
    } finally {
      await proxy.close();
    }
  }, 60_000);
});
