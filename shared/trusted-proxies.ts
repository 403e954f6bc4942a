import ipaddr from 'ipaddr.js';

/**
 * Who the client is behind a reverse proxy (nginx, an ingress controller): the addresses of
 * TRUSTED_PROXIES are believed when they say, in `X-Forwarded-For` or `Forwarded` (RFC 7239),
 * whom they forwarded for. Anyone else's headers are ignored, so a caller that reaches the server
 * directly, or through a trusted proxy that appends what it saw, cannot choose its own address
 * (its rate-limit bucket). Pure (ipaddr.js, no node:net), so config.ts can parse the ranges.
 */
type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** A parsed TRUSTED_PROXIES: address ranges (a single address is a /32 or /128). */
export type TrustedProxies = readonly (readonly [Address, number])[];

/**
 * An address as written in the setting or a header: four-part dotted IPv4 or IPv6, nothing
 * looser (ipaddr.js would also read `127.1` and `0x7f.0.0.1`, forms no proxy writes). An
 * IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, how a dual-stack socket names an IPv4 peer) is
 * read as the IPv4 address, so one range covers both spellings.
 */
function parseAddress(text: string): Address | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (ipaddr.IPv6.isValid(text)) return ipaddr.process(text);
  return null;
}

/** One TRUSTED_PROXIES entry (`10.0.0.0/8`, `fd00::/8`, `192.0.2.7`), or null when it is not one. */
export function parseTrustedRange(entry: string): readonly [Address, number] | null {
  const [text = '', bits, ...rest] = entry.split('/');
  const address = parseAddress(text);
  if (!address || rest.length > 0) return null;
  const max = address.kind() === 'ipv4' ? 32 : 128;
  if (bits === undefined) return [address, max];
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return null;
  return [address, Number(bits)];
}

/** Whether `address` (already parsed) is in one of the ranges. */
function isTrusted(address: Address, trusted: TrustedProxies): boolean {
  return trusted.some(
    ([range, bits]) => range.kind() === address.kind() && address.match(range, bits),
  );
}

/**
 * One hop as a header names it: `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1` or
 * `[2001:db8::1]:4711`; null for anything else (`unknown`, an obfuscated `_hidden` node).
 */
function parseHop(raw: string): Address | null {
  const text = raw.trim().replace(/^"(.*)"$/, '$1');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return ipaddr.IPv6.isValid(bracketed[1]!) ? parseAddress(bracketed[1]!) : null;
  const v4WithPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(text);
  return parseAddress(v4WithPort ? v4WithPort[1]! : text);
}

/** `X-Forwarded-For: client, proxy1, proxy2` (several header lines arrive joined by commas). */
const forwardedForHops = (header: string) => header.split(',').map(parseHop);

/** `Forwarded: for=client;proto=https, for="[2001:db8::1]:4711"`: each element's `for`. */
const forwardedHops = (header: string) =>
  header.split(',').map((element) => {
    const pair = element
      .split(';')
      .map((part) => part.trim())
      .find((part) => part.toLowerCase().startsWith('for='));
    return pair === undefined ? null : parseHop(pair.slice('for='.length));
  });

/**
 * The client by one header's hops: from the peer leftwards, each trusted hop is believed about
 * the one before it; the first untrusted address is the client. A hop a trusted proxy wrote but
 * that names no address stops the walk at that proxy; a chain of trusted proxies only ends at
 * its first.
 */
function clientFromHops(peer: Address, hops: (Address | null)[], trusted: TrustedProxies) {
  let client = peer;
  for (let i = hops.length - 1; i >= 0 && isTrusted(client, trusted); i--) {
    const hop = hops[i];
    if (!hop) break;
    client = hop;
  }
  return client;
}

/** The request's addressing as the Node platform sees it. */
export interface ForwardedRequest {
  /** The socket's remote address. */
  peer: string | undefined;
  /** The `X-Forwarded-For` header, if any. */
  forwardedFor: string | undefined;
  /** The `Forwarded` header, if any. */
  forwarded: string | undefined;
}

/**
 * The client's address: the peer's, unless the peer is a trusted proxy; then the first address
 * from the right of its forwarding header that is not a trusted proxy. A proxy appends to one
 * header and passes the other on as the client sent it, so when both are present and name
 * different clients neither is believed, and the client is the peer (the proxy): a header the
 * client wrote cannot win against the one the proxy wrote. Without trusted proxies, or without
 * a peer address, the peer as the socket gave it ('unknown' when none).
 */
export function forwardedClientAddress(request: ForwardedRequest, trusted: TrustedProxies): string {
  const peerText = request.peer ?? 'unknown';
  if (trusted.length === 0) return peerText;
  const peer = parseAddress(peerText);
  if (!peer || !isTrusted(peer, trusted)) return peerText;
  const candidates = [
    request.forwardedFor === undefined
      ? null
      : clientFromHops(peer, forwardedForHops(request.forwardedFor), trusted),
    request.forwarded === undefined
      ? null
      : clientFromHops(peer, forwardedHops(request.forwarded), trusted),
  ].filter((candidate) => candidate !== null);
  const [first, second] = candidates.map((candidate) => candidate.toString());
  if (first === undefined) return peer.toString();
  return second === undefined || second === first ? first : peer.toString();
}
