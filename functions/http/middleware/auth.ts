import type { MiddlewareHandler } from 'hono';
import type { Principal, Scope } from '../../../shared/access.js';
import { scopeAllows } from '../../../shared/access.js';
import type { AppEnv } from '../env.js';
import { problem } from '../problem.js';

export interface AuthenticateOptions {
  /** AUTH=off: every request acts as an admin that sees every project. */
  enabled: boolean;
  /** Paths under the guarded prefix that anyone may call (health, the OpenAPI document, docs). */
  isPublic: (path: string) => boolean;
  /** Keeps a background write alive after the response (Workers' waitUntil); Node needs none. */
  defer?: (c: Parameters<MiddlewareHandler<AppEnv>>[0], work: Promise<unknown>) => void;
  /** AUTH=off: the caller's address, which then stands for the caller (`Principal.client`). */
  clientAddress?: (c: Parameters<MiddlewareHandler<AppEnv>>[0]) => string;
}

const TRUSTED_NETWORK: Principal = {
  keyId: null,
  name: 'AUTH=off',
  scope: 'admin',
  projectId: null,
};

const BEARER = /^Bearer[ \t]+(\S{1,512})[ \t]*$/i;
const BARE_KEY = /^\S{1,512}$/;

/** The secret from `Authorization: Bearer <key>` or, as Healthchecks' clients send it, `X-Api-Key`. */
function presentedSecret(authorization: string | undefined, apiKey: string | undefined) {
  if (authorization) return BEARER.exec(authorization)?.[1];
  return apiKey && apiKey.length <= 512 ? apiKey : undefined;
}

const HOW_TO_SEND = 'send the key as `Authorization: Bearer <key>` (or `X-Api-Key: <key>`)';

/**
 * What a 401 says to a caller who sent something. It depends on the headers' form alone (never
 * on a lookup), so an unknown, a revoked and a mistyped key stay indistinguishable; but the
 * newcomer who wrote `Authorization: ct_...` or `Token ct_...` is told the scheme.
 */
function invalidKeyDetail(authorization: string | undefined, apiKey: string | undefined): string {
  if (authorization !== undefined && !BEARER.test(authorization))
    return `The Authorization header is not of the form \`Bearer <key>\`: ${HOW_TO_SEND}.`;
  if (authorization === undefined && apiKey !== undefined && !BARE_KEY.test(apiKey))
    return `The X-Api-Key header holds the key alone, without a scheme or spaces: ${HOW_TO_SEND}.`;
  return 'The API key is not valid: unknown, revoked or malformed.';
}

/**
 * Finds who is calling, before any validation or lookup, and sets `principal` when the key is
 * known and not revoked. It does not refuse anyone itself: the rate limiter needs to see refused
 * callers too, and `requireKey()` answers the 401 after it.
 */
export function authenticate(options: AuthenticateOptions): MiddlewareHandler<AppEnv> {
  return async function authenticateMiddleware(c, next) {
    if (!options.enabled) {
      c.set('principal', { ...TRUSTED_NETWORK, client: options.clientAddress?.(c) ?? 'unknown' });
      return next();
    }
    if (options.isPublic(c.req.path)) return next();
    const secret = presentedSecret(c.req.header('Authorization'), c.req.header('X-Api-Key'));
    if (secret) {
      const { principal, touch, expiredAt } = await c.get('services').apiKeys.authenticate(secret);
      if (principal) c.set('principal', principal);
      if (expiredAt) c.set('keyExpiredAt', expiredAt);
      if (touch) options.defer?.(c, touch);
    }
    return next();
  };
}

/** 401 with `WWW-Authenticate: Bearer` for a guarded route called without a valid key. */
export function requireKey(
  options: Pick<AuthenticateOptions, 'isPublic'>,
): MiddlewareHandler<AppEnv> {
  return async function requireKeyMiddleware(c, next) {
    if (c.get('principal') || options.isPublic(c.req.path)) return next();
    const authorization = c.req.header('Authorization');
    const apiKey = c.req.header('X-Api-Key');
    const presented = authorization !== undefined || apiKey !== undefined;
    const expiredAt = c.get('keyExpiredAt');
    return problem(c, 'UNAUTHENTICATED', {
      detail: expiredAt
        ? `This API key expired at ${expiredAt.toISOString()}: ask an admin for a new key, or to extend this one (PATCH /api/keys/{id}).`
        : presented
          ? invalidKeyDetail(authorization, apiKey)
          : `This route needs an API key: ${HOW_TO_SEND}.`,
      headers: {
        'WWW-Authenticate': presented
          ? 'Bearer realm="chronotrack", error="invalid_token"'
          : 'Bearer realm="chronotrack"',
      },
    });
  };
}

/** A route's scope, declared beside it: 403 when the caller's key holds a weaker one. */
export function requireScope(scope: Scope): MiddlewareHandler<AppEnv> {
  return async function requireScopeMiddleware(c, next) {
    const held = c.get('principal')?.scope;
    if (held && scopeAllows(held, scope)) return next();
    return problem(c, 'INSUFFICIENT_SCOPE', {
      detail: `This route needs a key with the ${scope} scope; this key has ${held ?? 'none'}.`,
      headers: {
        'WWW-Authenticate': `Bearer realm="chronotrack", error="insufficient_scope", scope="${scope}"`,
      },
    });
  };
}
