/**
 * Where webhooks may send (SSRF guard): http(s) only, and no loopback, private, link-local,
 * CGNAT, multicast or cloud-metadata address unless WEBHOOK_ALLOW_PRIVATE=true. Names are
 * checked by what they resolve to, through a resolver the runtime injects (Node: node:dns);
 * without one (Workers, whose fetch cannot reach private ranges anyway) literal addresses and
 * `localhost` names are checked.
 */
export type Resolver = (hostname: string) => Promise<string[]>;

const V4_BLOCKED: [number, number][] = [
  [0x00000000, 8], // "this" network
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10 CGNAT
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local, 169.254.169.254 metadata
  [0xac100000, 12], // 172.16/12
  [0xc0000000, 24], // 192.0.0/24
  [0xc0a80000, 16], // 192.168/16
  [0xc6120000, 15], // 198.18/15 benchmarking
  [0xe0000000, 3], // multicast, reserved, broadcast
];

function parseV4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255))
    return null;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

const v4Blocked = (n: number) =>
  V4_BLOCKED.some(
    ([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)),
  );

/** The 8 groups of an IPv6 address (an embedded IPv4 tail becomes two groups), or null. */
function parseV6(text: string): number[] | null {
  let address = text.toLowerCase().split('%')[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (v4) {
    const n = parseV4(v4[1]!);
    if (n === null) return null;
    address =
      address.slice(0, -v4[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return all.map((g) => parseInt(g, 16));
}

function v6Blocked(g: number[]): boolean {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(7) && (g[7] === 0 || g[7] === 1)) return true; // :: and ::1
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): the IPv4 address decides.
  if (
    (zeroUpTo(5) && g[5] === 0xffff) ||
    (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))
  )
    return v4Blocked(g[6]! * 65536 + g[7]!);
  if ((g[0]! & 0xfe00) === 0xfc00) return true; // unique local fc00::/7 (fd00:ec2::254 metadata)
  if ((g[0]! & 0xffc0) === 0xfe80) return true; // link-local
  if ((g[0]! & 0xff00) === 0xff00) return true; // multicast
  return false;
}

/** Whether an IP address (v4 or v6, no brackets) is one webhooks must not reach; null: not an IP. */
export function isBlockedAddress(address: string): boolean | null {
  const v4 = parseV4(address);
  if (v4 !== null) return v4Blocked(v4);
  const v6 = parseV6(address);
  if (v6 !== null) return v6Blocked(v6);
  return null;
}

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
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isBlockedAddress(host) === true || BLOCKED_NAMES.test(host))
    return `must not point to a loopback, private, link-local or metadata address (${host}); set WEBHOOK_ALLOW_PRIVATE=true to allow`;
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
  const resolved = await resolveHost(new URL(url).hostname.replace(/^\[|\]$/g, ''), resolve);
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
  const resolved = await resolveHost(new URL(url).hostname.replace(/^\[|\]$/g, ''), resolve);
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
      unresolved: `cannot resolve ${host}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (addresses.length === 0) return { unresolved: `cannot resolve ${host}: no address` };
  const blocked = addresses.find((address) => isBlockedAddress(address) !== false);
  return blocked
    ? {
        refused: `refused: ${host} resolves to ${blocked}, a loopback, private, link-local or metadata address`,
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
