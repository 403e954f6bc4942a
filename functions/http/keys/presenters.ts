import { isoTime, isoTimeOrNull } from '../../../shared/iso-time.js';
import type { ApiKeyRecord } from '../../../shared/repositories.js';

/** An API key record as the API shows it: never its hash, never its secret. */

export const keyJson = (key: ApiKeyRecord) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  scope: key.scope,
  projectId: key.projectId,
  createdAt: isoTime(key.createdAt),
  lastUsedAt: isoTimeOrNull(key.lastUsedAt),
  revokedAt: isoTimeOrNull(key.revokedAt),
  expiresAt: isoTimeOrNull(key.expiresAt),
});
