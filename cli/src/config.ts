import { UsageError } from './errors.js';

/** Where the tracker is and the key to it: flags first, then the environment. */
export interface Connection {
  /** The API's base, always ending in `/api` (what the OpenAPI document's server names). */
  apiUrl: string;
  apiKey: string | undefined;
}

export interface ConnectionFlags {
  url?: string | undefined;
  'api-key'?: string | undefined;
}

/**
 * Resolves --url / --api-key over CHRONOTRACK_URL / CHRONOTRACK_API_KEY. The URL may be given
 * with or without its `/api` suffix (`http://tracker:3000` and `http://tracker:3000/api/` both
 * work). A missing or malformed URL is a usage error.
 */
export function resolveConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  hint: string,
): Connection {
  const raw = flags.url ?? env.CHRONOTRACK_URL;
  if (!raw) {
    throw new UsageError('no tracker URL: set CHRONOTRACK_URL or pass --url', hint);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`invalid tracker URL '${raw}': expected http(s)://host[:port]`, hint);
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api$/, '');
  const apiKey = flags['api-key'] ?? env.CHRONOTRACK_API_KEY;
  return { apiUrl: `${url.origin}${path}/api`, apiKey: apiKey || undefined };
}
