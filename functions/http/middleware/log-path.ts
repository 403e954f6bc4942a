/**
 * The request path as logs and traces may keep it. A ping URL's first segment is its secret (a
 * job's ping UUID, or the project's ping key, with which anyone could record runs for every job
 * of the project), so it becomes `[redacted]`; the rest stays, so a line still tells
 * `/ping/[redacted]/start` from `/ping/[redacted]/nightly-backup/fail`. Every other path is kept
 * as it is: no other route carries a secret in its path (keys travel in headers).
 */
export const REDACTED = '[redacted]';

const PING_SECRET = /^(\/ping\/)[^/]+/i;

export function loggablePath(path: string): string {
  return path.replace(PING_SECRET, `$1${REDACTED}`);
}
