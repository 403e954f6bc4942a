/**
 * The secrets of Healthchecks-style pings: a job's ping UUID and a project's ping key. Web Crypto
 * (`crypto.randomUUID`, `crypto.getRandomValues`) is global on Node, Workers and in workerd.
 */

/** A random version-4 UUID: a new job's ping URL `/ping/{uuid}`. */
export const newPingUuid = (): string => crypto.randomUUID();

/** 128 random bits as 32 lowercase hex digits, the form migration 0006 backfilled. */
export function newPingKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
