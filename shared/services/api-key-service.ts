import type { NewKeyRequest } from '../inputs.js';
import type { Principal } from '../access.js';
import {
  constantTimeEqual,
  generateKeySecret,
  hashKeySecret,
  visiblePrefix,
  type HashSecret,
} from '../api-key-secret.js';
import { invalid, notFound, errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ApiKeyRecord, ApiKeyRepository, ProjectRepository } from '../repositories.js';

/** How long a key's lookup is remembered: a key revoked elsewhere stops working within this. */
export const KEY_CACHE_TTL_MS = 10_000;
/** lastUsedAt is written at most this often per key and process: no write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;
const MAX_CACHED_KEYS = 10_000;

/**
 * Told of each revocation, after it is stored (the Node entry: forget the first-start key file
 * when it holds that key). Its failure is logged, never the revocation's.
 */
export type OnKeyRevoked = (key: ApiKeyRecord) => Promise<void>;

export interface Authentication {
  principal: Principal | null;
  /** The key is known but expired at this time: refused like a revoked one, told why. */
  expiredAt?: Date;
  /** A pending lastUsedAt write, for the runtime to keep alive (waitUntil on Workers). */
  touch?: Promise<void>;
}

interface CacheEntry {
  principal: Principal | null;
  /** When the cached lookup is stale (KEY_CACHE_TTL_MS). */
  expiresAt: number;
  /** When the key itself expires; checked on every request, so it stops on time. */
  keyExpiresAt: number | null;
}

/**
 * What every ApiKeyService of one app shares (one per request, for its request-scoped logger):
 * the lookup cache and when each key's use was last written.
 */
export class ApiKeyCache {
  readonly lookups = new Map<string, CacheEntry>();
  readonly lastTouched = new Map<number, number>();
}

/**
 * Creates, lists and revokes keys, and turns a presented secret into a principal. Secrets are
 * only ever hashed: the store is searched by hash, and the bootstrap ADMIN_API_KEY is compared by
 * hash in constant time, so a known and an unknown key take the same steps.
 */
export class ApiKeyService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly projects: ProjectRepository,
    private readonly now: () => Date,
    private readonly logger: Logger,
    /** SHA-256 of ADMIN_API_KEY, when one is configured. */
    private readonly bootstrapHash: Promise<string | null> = Promise.resolve(null),
    private readonly shared = new ApiKeyCache(),
    private readonly hashSecret: HashSecret = hashKeySecret,
    private readonly onRevoked?: OnKeyRevoked,
  ) {}

  private get cache() {
    return this.shared.lookups;
  }

  private get lastTouched() {
    return this.shared.lastTouched;
  }

  /** Creates a key; its secret is in the result and nowhere else, ever. */
  async create(request: NewKeyRequest): Promise<{ key: ApiKeyRecord; secret: string }> {
    if (request.scope === 'admin' && request.projectId !== undefined) {
      throw invalid('projectId', 'Admin keys manage every project; they cannot be bound to one.');
    }
    if (request.projectId !== undefined && !(await this.projects.findById(request.projectId))) {
      throw notFound('project', request.projectId);
    }
    this.checkExpiry(request.expiresAt);
    const secret = generateKeySecret();
    const key = await this.keys.create({
      hash: await this.hashSecret(secret),
      prefix: visiblePrefix(secret),
      name: request.name,
      scope: request.scope,
      projectId: request.projectId ?? null,
      createdAt: this.now(),
      expiresAt: request.expiresAt ?? null,
    });
    this.logger.info('api key created', { keyId: key.id, prefix: key.prefix, scope: key.scope });
    return { key, secret };
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.keys.list();
  }

  count(): Promise<number> {
    return this.keys.count();
  }

  /** Revokes at once in this process (its cached lookups go); elsewhere within the cache TTL. */
  async revoke(id: number): Promise<ApiKeyRecord> {
    const key = await this.keys.revoke(id, this.now());
    if (!key) throw notFound('key', id);
    this.forget(id);
    this.logger.info('api key revoked', { keyId: id, prefix: key.prefix });
    await this.onRevoked?.(key).catch((error: unknown) => {
      this.logger.warn('after revoking an api key', {
        keyId: id,
        error: errorMessage(error),
      });
    });
    return key;
  }

  /**
   * Renames a key or changes when it expires (null: never). A new time applies on this process at
   * once (its cached lookups go) and elsewhere within the cache TTL, like a revocation.
   */
  async update(
    id: number,
    changes: { name?: string; expiresAt?: Date | null },
  ): Promise<ApiKeyRecord> {
    if (changes.expiresAt) this.checkExpiry(changes.expiresAt);
    const key = await this.keys.update(id, changes);
    if (!key) throw notFound('key', id);
    this.forget(id);
    this.logger.info('api key changed', { keyId: id, changed: Object.keys(changes) });
    return key;
  }

  private checkExpiry(expiresAt: Date | undefined) {
    if (expiresAt && expiresAt.getTime() <= this.now().getTime())
      throw invalid('expiresAt', 'must be in the future');
  }

  private forget(keyId: number) {
    for (const [hash, entry] of this.cache) {
      if (entry.principal?.keyId === keyId) this.cache.delete(hash);
    }
  }

  /** The principal a presented secret stands for, or null (unknown, revoked, malformed). */
  async authenticate(secret: string): Promise<Authentication> {
    const [hash, bootstrapHash] = await Promise.all([this.hashSecret(secret), this.bootstrapHash]);
    const nowMs = this.now().getTime();
    // Always compared, whatever the secret: the bootstrap key costs what any other key does.
    const isBootstrap = constantTimeEqual(hash, bootstrapHash ?? '-'.repeat(64));
    if (isBootstrap && bootstrapHash !== null) {
      return {
        principal: { keyId: null, name: 'ADMIN_API_KEY', scope: 'admin', projectId: null },
      };
    }
    let entry = this.cache.get(hash);
    if (!entry || entry.expiresAt <= nowMs) {
      const key = await this.keys.findByHash(hash);
      const live = key && key.revokedAt === null;
      entry = {
        principal: live
          ? {
              keyId: key.id,
              name: key.name,
              scope: key.scope,
              projectId: key.projectId,
              expiresAt: key.expiresAt,
            }
          : null,
        expiresAt: nowMs + KEY_CACHE_TTL_MS,
        keyExpiresAt: live ? (key.expiresAt?.getTime() ?? null) : null,
      };
      this.remember(hash, entry);
    }
    if (entry.keyExpiresAt !== null && entry.keyExpiresAt <= nowMs)
      return { principal: null, expiredAt: new Date(entry.keyExpiresAt) };
    const principal = entry.principal;
    if (principal?.keyId == null) return { principal };
    return { principal, touch: this.touch(principal.keyId, nowMs) };
  }

  private remember(hash: string, entry: CacheEntry) {
    if (this.cache.size >= MAX_CACHED_KEYS) {
      // Unknown secrets are cached too (so a flood of them costs no extra lookups); a bounded
      // map keeps that flood from growing memory: the oldest entry makes room.
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(hash, entry);
  }

  private touch(keyId: number, nowMs: number): Promise<void> | undefined {
    const last = this.lastTouched.get(keyId);
    if (last !== undefined && nowMs - last < LAST_USED_RESOLUTION_MS) return undefined;
    this.lastTouched.set(keyId, nowMs);
    return this.keys.touch(keyId, new Date(nowMs)).catch((error: unknown) => {
      this.logger.warn('could not record api key use', {
        keyId,
        error: errorMessage(error),
      });
    });
  }
}
