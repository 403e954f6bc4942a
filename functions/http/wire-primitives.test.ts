import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextPageReference } from './wire-primitives.js';

/** What `setNextLink` wrote before: the whole URL parsed, the cursor set on its searchParams. */
function viaUrl(url: string, cursor: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('cursor', cursor);
  return `${parsed.pathname}${parsed.search}`;
}

// Unreserved characters, the ones URL encodes or treats specially, escapes (valid or not), and
// characters above ASCII as Node hands a request line's bytes over (latin1) or as UTF-16.
const CHARS = [
  ...'abcXYZ019-._~',
  ...' "<>`{}|\\^\'',
  ...'%+&=;,:@!$()*/?#',
  '%20',
  '%2e',
  '%zz',
  '%C3%A9',
  'é',
  'Ã©',
  '✓',
  '\u0000',
  '\u007f',
];
const text = (maxLength: number) =>
  fc.array(fc.constantFrom(...CHARS), { maxLength }).map((parts) => parts.join(''));
const segment = fc.oneof(text(6), fc.constantFrom('.', '..', 'api', 'jobs', '7', 'runs'));

describe('nextPageReference', () => {
  it('writes what URL and its searchParams write, for any path and query', () => {
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 5 }),
        fc.option(text(16), { nil: undefined }),
        fc.constantFrom('eyJ2IjoyfQ', 'a+b/c=', 'x y&z'),
        (segments, query, cursor) => {
          const url = `http://127.0.0.1:3000/${segments.join('/')}${query === undefined ? '' : `?${query}`}`;
          expect(nextPageReference(url, cursor)).toBe(viaUrl(url, cursor));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('keeps the other parameters and replaces an earlier cursor', () => {
    const url = 'http://localhost/api/jobs/7/runs?limit=50&status=FAILED,CANCELLED&cursor=old';
    expect(nextPageReference(url, 'new')).toBe(
      '/api/jobs/7/runs?limit=50&status=FAILED%2CCANCELLED&cursor=new',
    );
    expect(nextPageReference('http://localhost/api/runs', 'c')).toBe('/api/runs?cursor=c');
  });
});
