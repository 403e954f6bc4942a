/**
 * Job keys: a slug unique within a project (`nightly-backup`), so scripts address a job without
 * its numeric id. Pure functions, shared by the service and the HTTP layer's validation.
 */

export const JOB_KEY_MAX_LENGTH = 64;

/** 1 to 64 lowercase letters, digits, `-` and `_` (Healthchecks' slug alphabet). */
export const JOB_KEY_PATTERN = /^[a-z0-9_-]{1,64}$/;

export const isJobKey = (value: string): boolean => JOB_KEY_PATTERN.test(value);

/** What a name derives to when none of its characters is usable (`'!!!'`, `'日本語'`). */
const FALLBACK_KEY = 'job';

/**
 * The key a job gets from its name when none is given: lowercased, every run of other characters
 * (spaces, punctuation, non-ASCII, and `-` itself) one `-`, no `-` at either end, at most 64
 * characters; `job` when nothing is left.
 */
export function deriveJobKey(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, JOB_KEY_MAX_LENGTH)
    // Cutting can leave a '-' at the end again.
    .replace(/-+$/, '');
  return slug === '' ? FALLBACK_KEY : slug;
}

/**
 * The `n`-th candidate for a derived key: `base` itself for 1, then `base-2`, `base-3`...; the
 * base is shortened so the suffix always fits in 64 characters.
 */
export function suffixedKey(base: string, n: number): string {
  if (n <= 1) return base;
  const suffix = `-${n}`;
  const head = base.slice(0, JOB_KEY_MAX_LENGTH - suffix.length).replace(/-+$/, '');
  return `${head}${suffix}`;
}

/**
 * A prefix every candidate `suffixedKey(base, n)` starts with for n below 10^7: what to look up
 * to learn which candidates are taken, in one query.
 */
export const suffixedKeyPrefix = (base: string): string =>
  base.slice(0, JOB_KEY_MAX_LENGTH - 8).replace(/-+$/, '');

/** The first candidate for `base` that is not in `taken`. */
export function firstFreeKey(base: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const candidate = suffixedKey(base, n);
    if (!taken.has(candidate)) return candidate;
  }
}
