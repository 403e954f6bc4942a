import { errorMessage } from '../errors.js';
import ipaddr from 'ipaddr.js';

/**
 * Where outbound requests (webhooks) may go (SSRF guard): http(s) only, and only to globally
 * reachable unicast addresses unless WEBHOOK_ALLOW_PRIVATE=true. Names are checked by what they
 * resolve to, through a resolver the runtime injects (Node: node:dns); without one (Workers,
 * whose fetch cannot reach private ranges anyway) literal addresses and `localhost` names are
 * checked.
 */
export type Resolver = (hostname: string) => Promise<string[]>;

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * The IPv4 address an IPv6 address carries, for the forms that route to it: IPv4-mapped and
 * IPv4-translated (`::ffff:a.b.c.d`, `::ffff:0:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64's
 * well-known prefix (`64:ff9b::a.b.c.d`) and 6to4 (`2002:aabb:ccdd::`).
 */
function embeddedV4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const parts = address.parts;
  const tail = () =>
    new ipaddr.IPv4([parts[6]! >> 8, parts[6]! & 255, parts[7]! >> 8, parts[7]! & 255]);
  const range = address.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145') return tail();
  if (range === 'rfc6052' && address.match(ipaddr.IPv6.parse('64:ff9b::'), 96)) return tail();
  if (range === '6to4')
    return new ipaddr.IPv4([parts[1]! >> 8, parts[1]! & 255, parts[2]! >> 8, parts[2]! & 255]);
  // IPv4-compatible (deprecated): the first 96 bits zero; :: and ::1 are classified as they are.
  if (parts.slice(0, 6).every((part) => part === 0) && (parts[6] !== 0 || parts[7]! > 1))
    return tail();
  return null;
}

/**
 * Whether an address may not be reached: anything ipaddr.js does not classify as `unicast`,
 * that is every range of IANA's IPv4 and IPv6 special-purpose registries (loopback, private,
 * CGNAT, link-local and metadata, documentation, benchmarking, multicast, reserved, Teredo,
 * NAT64's local-use prefix...), an embedded IPv4 address judged as itself.
 */
function blocked(address: Address): boolean {
  if (address.kind() === 'ipv6') {
    const v4 = embeddedV4(address as ipaddr.IPv6);
    if (v4) return blocked(v4);
  }
  return address.range() !== 'unicast';
}

/** Whether an IP address (v4 or v6, no brackets) is one webhooks must not reach; null: not an IP. */
export function isBlockedAddress(address: string): boolean | null {
  // ipaddr.js also reads IPv4 in the shorthand and hex forms URLs and resolvers may give.
  if (!ipaddr.isValid(address)) return null;
  return blocked(ipaddr.parse(address));
}

/** A URL's host as an address or a name: an IPv6 literal without its brackets. */
const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

const BLOCKED_NAMES = /^(localhost|.*\.localhost|metadata\.google\.internal|.*\.internal)\.?$/i;

/** Why `url` may not be sent to before any resolution (scheme, literal address), or null. */
export function staticUrlProblem(url: string, allowPrivate: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http(s) URL';
  if (parsed.username || parsed.password) return 'must not hold credentials';
  if (allowPrivate) return null;
  const host = hostOf(parsed);
  if (isBlockedAddress(host) === true || BLOCKED_NAMES.test(host))
    return `must not point to a loopback, private, link-local, metadata or other special-purpose address (${host}); set WEBHOOK_ALLOW_PRIVATE=true to allow`;
  return null;
}

/**
 * Where an attempt may go: `problem` when it may not; else the addresses its name was checked
 * by (null: nothing was resolved, for a literal address, WEBHOOK_ALLOW_PRIVATE or no resolver).
 * A transport that connects to exactly these leaves no window for DNS rebinding between the
 * check and the connection.
 */
export type CheckedTarget = { problem: string } | { problem: null; addresses: string[] | null };

/** Checks `url` now, resolving its name when a resolver is given: see CheckedTarget. */
export async function checkTarget(
  url: string,
  allowPrivate: boolean,
  resolve?: Resolver,
): Promise<CheckedTarget> {
  const problem = staticUrlProblem(url, allowPrivate);
  if (problem) return { problem };
  if (allowPrivate || !resolve) return { problem: null, addresses: null };
  const resolved = await resolveHost(hostOf(new URL(url)), resolve);
  if ('addresses' in resolved) return { problem: null, addresses: resolved.addresses };
  return { problem: resolved.refused ?? resolved.unresolved };
}

/**
 * Why a webhook may not be created (or moved) to `url`: what a delivery would be refused for,
 * its name resolved now, so the user learns it at once. A name that does not resolve yet is
 * allowed (it may be created later, or DNS be down for a moment): its deliveries say so.
 */
export async function creationUrlProblem(
  url: string,
  allowPrivate: boolean,
  resolve?: Resolver,
): Promise<string | null> {
  const problem = staticUrlProblem(url, allowPrivate);
  if (problem || allowPrivate || !resolve) return problem;
  const resolved = await resolveHost(hostOf(new URL(url)), resolve);
  return 'refused' in resolved ? (resolved.refused ?? null) : null;
}

type Resolved =
  | { addresses: string[] | null }
  | { refused: string; unresolved?: undefined }
  | { refused?: undefined; unresolved: string };

/** The addresses `host` resolves to (null for a literal, already checked), or why not. */
async function resolveHost(host: string, resolve: Resolver): Promise<Resolved> {
  if (isBlockedAddress(host) !== null) return { addresses: null };
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (error) {
    return {
      unresolved: `cannot resolve ${host}: ${errorMessage(error)}`,
    };
  }
  if (addresses.length === 0) return { unresolved: `cannot resolve ${host}: no address` };
  const blocked = addresses.find((address) => isBlockedAddress(address) !== false);
  return blocked
    ? {
        refused: `refused: ${host} resolves to ${blocked}, a loopback, private, link-local, metadata or other special-purpose address`,
      }
    : { addresses };
}

/** Why `url` may not be sent to now, after resolving its name (when a resolver is given), or null. */
export async function urlProblem(
  url: string,
  allowPrivate: boolean,
  resolve?: Resolver,
): Promise<string | null> {
  return (await checkTarget(url, allowPrivate, resolve)).problem;
}
