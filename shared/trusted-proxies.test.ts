import { describe, expect, it } from 'vitest';
import {
  forwardedClientAddress,
  parseTrustedRange,
  type ForwardedRequest,
  type TrustedProxies,
} from './trusted-proxies.js';

const ranges = (...entries: string[]): TrustedProxies => entries.map((e) => parseTrustedRange(e)!);
/** The ingress controller's pods (10.244.0.0/16) and the nginx container (fd00::5). */
const PROXIES = ranges('10.244.0.0/16', 'fd00::5');
const client = (request: Partial<ForwardedRequest>, trusted = PROXIES) =>
  forwardedClientAddress(
    { peer: undefined, forwardedFor: undefined, forwarded: undefined, ...request },
    trusted,
  );

describe('forwardedClientAddress', () => {
  it('is the peer when no proxy is trusted, whatever the headers say', () => {
    expect(client({ peer: '203.0.113.9', forwardedFor: '198.51.100.1' }, [])).toBe('203.0.113.9');
    expect(client({ peer: undefined }, [])).toBe('unknown');
  });

  it('believes a trusted proxy about the client it forwarded for', () => {
    expect(client({ peer: '10.244.1.7', forwardedFor: '203.0.113.9' })).toBe('203.0.113.9');
    expect(client({ peer: '10.244.1.7', forwarded: 'for=203.0.113.9;proto=https' })).toBe(
      '203.0.113.9',
    );
    expect(client({ peer: 'fd00::5', forwarded: 'For="[2001:db8:cafe::17]:4711"' })).toBe(
      '2001:db8:cafe::17',
    );
    expect(client({ peer: '10.244.1.7', forwardedFor: '203.0.113.9:51234' })).toBe('203.0.113.9');
  });

  it('reads an IPv4 peer on a dual-stack socket (::ffff:a.b.c.d) as the IPv4 address', () => {
    expect(client({ peer: '::ffff:10.244.1.7', forwardedFor: '203.0.113.9' })).toBe('203.0.113.9');
  });

  it('ignores the headers of a caller outside TRUSTED_PROXIES: it cannot choose its address', () => {
    for (const headers of [
      { forwardedFor: '198.51.100.1' },
      { forwarded: 'for=198.51.100.1' },
      { forwardedFor: '10.244.1.7, 198.51.100.1', forwarded: 'for=198.51.100.1' },
    ]) {
      expect(client({ peer: '203.0.113.9', ...headers })).toBe('203.0.113.9');
      expect(client({ peer: '2001:db8::9', ...headers })).toBe('2001:db8::9');
      // Just outside a trusted range, and next to a trusted address.
      expect(client({ peer: '10.245.0.1', ...headers })).toBe('10.245.0.1');
      expect(client({ peer: 'fd00::6', ...headers })).toBe('fd00::6');
    }
  });

  it('takes the hop the proxy appended, not what the client sent before it', () => {
    // nginx's $proxy_add_x_forwarded_for: the client's own header, then the address nginx saw.
    expect(client({ peer: '10.244.1.7', forwardedFor: '198.51.100.1, 203.0.113.9' })).toBe(
      '203.0.113.9',
    );
    // Several header lines arrive joined by commas: the last one is still the proxy's.
    expect(client({ peer: '10.244.1.7', forwarded: 'for=198.51.100.1, for=203.0.113.9' })).toBe(
      '203.0.113.9',
    );
  });

  it('walks through a chain of trusted proxies to the first address that is not one', () => {
    expect(
      client({ peer: '10.244.1.7', forwardedFor: '198.51.100.1, 203.0.113.9, 10.244.2.3' }),
    ).toBe('203.0.113.9');
    // Only proxies all the way: the first of them.
    expect(client({ peer: '10.244.1.7', forwardedFor: '10.244.9.9, 10.244.2.3' })).toBe(
      '10.244.9.9',
    );
  });

  it('stops at the proxy when the hop it wrote names no address', () => {
    expect(client({ peer: '10.244.1.7', forwardedFor: 'unknown' })).toBe('10.244.1.7');
    expect(client({ peer: '10.244.1.7', forwarded: 'for=_hidden' })).toBe('10.244.1.7');
    expect(client({ peer: '10.244.1.7', forwarded: 'proto=https' })).toBe('10.244.1.7');
    expect(client({ peer: '10.244.1.7', forwardedFor: '0x7f.1' })).toBe('10.244.1.7');
    expect(client({ peer: '10.244.1.7' })).toBe('10.244.1.7');
  });

  it('believes neither header when they disagree: the one the proxy passed on is the client’s', () => {
    // The proxy appends to X-Forwarded-For; the client added its own Forwarded.
    expect(
      client({ peer: '10.244.1.7', forwardedFor: '203.0.113.9', forwarded: 'for=198.51.100.1' }),
    ).toBe('10.244.1.7');
    // A proxy that sets both, consistently, is believed.
    expect(
      client({ peer: '10.244.1.7', forwardedFor: '203.0.113.9', forwarded: 'for=203.0.113.9' }),
    ).toBe('203.0.113.9');
  });
});

describe('parseTrustedRange', () => {
  it('reads addresses and CIDRs of both families, and nothing looser', () => {
    expect(parseTrustedRange('10.0.0.0/8')?.[1]).toBe(8);
    expect(parseTrustedRange('2001:db8::/32')?.[1]).toBe(32);
    expect(parseTrustedRange('192.0.2.7')?.[1]).toBe(32);
    expect(parseTrustedRange('::1')?.[1]).toBe(128);
    for (const bad of [
      '',
      '127.1',
      '10.0.0.0/33',
      '10.0.0.0/-1',
      '10.0.0.0/a',
      'localhost',
      '::1/129',
    ])
      expect(parseTrustedRange(bad), bad).toBeNull();
  });
});
