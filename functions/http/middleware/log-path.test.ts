import { describe, expect, it } from 'vitest';
import { loggablePath } from './log-path.js';

describe('loggablePath', () => {
  const uuid = '7c4d2b1e-9f3a-4c5d-8e6f-0a1b2c3d3bbf';
  const pingKey = 'pk_0123456789abcdefABCDEF';

  it.each([
    [`/ping/${uuid}`, '/ping/[redacted]'],
    [`/ping/${uuid}/start`, '/ping/[redacted]/start'],
    [`/ping/${uuid}/fail`, '/ping/[redacted]/fail'],
    [`/ping/${uuid}/log`, '/ping/[redacted]/log'],
    [`/ping/${uuid}/3`, '/ping/[redacted]/3'],
    [`/ping/${pingKey}/nightly-backup`, '/ping/[redacted]/nightly-backup'],
    [`/ping/${pingKey}/nightly-backup/start`, '/ping/[redacted]/nightly-backup/start'],
    [`/ping/${uuid.toUpperCase()}/`, '/ping/[redacted]/'],
    [`/PING/${uuid}`, '/PING/[redacted]'],
    [`/ping/${encodeURIComponent('a secret/with slash')}`, '/ping/[redacted]'],
  ])('redacts the secret of %s', (path, logged) => {
    expect(loggablePath(path)).toBe(logged);
  });

  it.each([
    '/api/jobs/12/runs',
    '/api/jobs/by-key/nightly-backup',
    '/health',
    '/ping',
    '/ping/',
    '/pingx/a',
  ])('keeps %s as it is', (path) => {
    expect(loggablePath(path)).toBe(path);
  });
});
