/**
 * Who is calling and what they may do. Scopes are ordered: `write` includes `read`, `admin`
 * includes `write`. A key bound to a project sees only that project's jobs and runs.
 */
export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

const RANK: Record<Scope, number> = { read: 0, write: 1, admin: 2 };

/** Whether a key holding `held` may use a route that needs `needed`. */
export const scopeAllows = (held: Scope, needed: Scope): boolean => RANK[held] >= RANK[needed];

/** The caller of one request, as authentication found it. */
export interface Principal {
  /** The stored key's id; null for the bootstrap ADMIN_API_KEY and when AUTH=off. */
  keyId: number | null;
  name: string;
  scope: Scope;
  /** The only project this caller sees, or null for all of them. */
  projectId: number | null;
  /** When the stored key stops working; null or absent: never. */
  expiresAt?: Date | null;
  /**
   * AUTH=off only: the caller's address, which stands in for a key where something belongs to
   * one caller (idempotency keys).
   */
  client?: string;
}

/** The part of a principal that services need: which project's rows it may touch (null: all). */
export type ProjectScope = number | null;
