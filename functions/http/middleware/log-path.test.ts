import { describe, expect, it } from 'vitest';
import { loggablePath } from './log-path.js';

describe('loggablePath', () => {
  const uuid = '7c4d2b1e-9f3a-4c5d-8e6f-0a1b2c3d3bbf';
  const pingKey = 'pk_0123456789abcdefABCDEF';
  const badgeKey = '9c1e0b7a4d2f4e6a8b0c1d2e3f405162';

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
    [`/badge/${badgeKey}.svg`, '/badge/[redacted].svg'],
    [`/badge/${badgeKey}.json`, '/badge/[redacted].json'],
    [`/badge/${badgeKey}/nightly-backup.svg`, '/badge/[redacted]/nightly-backup.svg'],
    [`/badge/${badgeKey}/nightly-backup.json`, '/badge/[redacted]/nightly-backup.json'],
    [`/badge/${badgeKey}`, '/badge/[redacted]'],
    [`/BADGE/${badgeKey}.svg.json`, '/BADGE/[redacted].json'],
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
    '/badge',
    '/badges/a.svg',
  ])('keeps %s as it is', (path) => {
    expect(loggablePath(path)).toBe(path);
  });
});
