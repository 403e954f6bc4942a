/**
 * The request path as logs and traces may keep it. A ping URL's first segment is its secret (a
 * job's ping UUID, or the project's ping key, with which anyone could record runs for every job
 * of the project), so it becomes `[redacted]`; the rest stays, so a line still tells
 * `/ping/[redacted]/start` from `/ping/[redacted]/nightly-backup/fail`. A badge URL's badge key
 * likewise (`/badge/[redacted]/nightly-backup.svg`, `/badge/[redacted].json`). Every other path is
 * kept as it is: no other route carries a secret in its path (keys travel in headers).
 */
export const REDACTED = '[redacted]';

const PING_SECRET = /^(\/ping\/)[^/]+/i;

/** A badge key: the first segment after /badge/, without the `.svg` or `.json` of the project badge. */
const BADGE_SECRET = /^(\/badge\/)[^/]*?(?=\/|\.(?:svg|json)$|$)/i;

export function loggablePath(path: string): string {
  return path.replace(PING_SECRET, `$1${REDACTED}`).replace(BADGE_SECRET, `$1${REDACTED}`);
}
