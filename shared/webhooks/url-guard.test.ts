import { describe, expect, it } from 'vitest';
import { checkTarget, isBlockedAddress, staticUrlProblem } from './url-guard.js';

/** The SSRF guard's address classes, each form an outbound URL or a resolver can give. */
describe('isBlockedAddress', () => {
  it.each([
    ['0.0.0.0', 'this network'],
    ['10.1.2.3', 'private'],
    ['100.64.0.1', 'CGNAT'],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local, cloud metadata'],
    ['172.16.0.1', 'private'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['192.0.2.10', 'documentation TEST-NET-1'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['198.51.100.7', 'documentation TEST-NET-2'],
    ['203.0.113.7', 'documentation TEST-NET-3'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
    ['::ffff:0:a00:1', 'IPv4-translated private'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['::7f00:1', 'IPv4-compatible loopback, as a URL stores it'],
    ['::a9fe:a9fe', 'IPv4-compatible metadata'],
    ['2002:7f00:1::', '6to4 of loopback'],
    ['2002:c0a8:101::1', '6to4 of a private address'],
    ['64:ff9b::7f00:1', 'NAT64 well-known prefix, loopback'],
    ['64:ff9b::10.0.0.1', 'NAT64 well-known prefix, private'],
    ['64:ff9b:1::1', 'NAT64 local-use prefix'],
    ['64:ff9b:1:a:b::', 'NAT64 local-use prefix'],
    ['fc00::1', 'unique local'],
    ['fd00:ec2::254', 'unique local, cloud metadata'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local with a zone'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2001:2::1', 'benchmarking'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['100::1', 'discard-only'],
  ])('refuses %s (%s)', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each([
    ['93.184.215.14', 'a public IPv4 address'],
    ['1.1.1.1', 'a public IPv4 address'],
    ['2606:4700:4700::1111', 'a public IPv6 address'],
    ['::ffff:93.184.215.14', 'IPv4-mapped public'],
    ['::5db8:d70e', 'IPv4-compatible public'],
    ['2002:5db8:d70e::1', '6to4 of a public address'],
    ['64:ff9b::93.184.215.14', 'NAT64 well-known prefix, public'],
  ])('allows %s (%s)', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });

  it.each(['example.com', 'localhost', '', '1.2.3.4.5', '::g'])('%s is not an address', (text) => {
    expect(isBlockedAddress(text)).toBeNull();
  });
});

describe('the guard on URLs', () => {
  it.each([
    'http://[::127.0.0.1]:3999/',
    'http://[::ffff:127.0.0.1]/',
    'http://[2002:7f00:1::]/',
    'http://[64:ff9b:1::1]/',
    'http://192.0.2.1/',
    'http://198.51.100.1/',
    'http://203.0.113.1/',
    'http://198.18.0.1/',
    'http://0x7f.1/',
    'http://2130706433/',
    'http://127.1/',
  ])('refuses %s before any request, literal addresses included at delivery', async (url) => {
    expect(staticUrlProblem(url, false)).toMatch(/special-purpose address/);
    const resolve = async () => {
      throw new Error('a literal address is never resolved');
    };
    expect((await checkTarget(url, false, resolve)).problem).toMatch(/special-purpose address/);
    expect(staticUrlProblem(url, true)).toBeNull();
  });

  it('refuses a name that resolves to any special-purpose address among public ones', async () => {
    const resolve = async () => ['93.184.215.14', '2002:7f00:1::'];
    expect((await checkTarget('https://hooks.example.com/x', false, resolve)).problem).toMatch(
      /resolves to 2002:7f00:1::, a loopback, private/,
    );
    const fine = async () => ['93.184.215.14'];
    expect(await checkTarget('https://hooks.example.com/x', false, fine)).toEqual({
      problem: null,
      addresses: ['93.184.215.14'],
    });
  });
});
