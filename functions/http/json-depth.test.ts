import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, withinJsonDepth } from './json-depth.js';

/** `{ a: { a: ... 1 } }` with `depth` objects. */
const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
};

describe('withinJsonDepth', () => {
  it('counts objects and arrays, not scalars', () => {
    expect(withinJsonDepth(1, 0)).toBe(true);
    expect(withinJsonDepth(null, 0)).toBe(true);
    expect(withinJsonDepth({}, 0)).toBe(false);
    expect(withinJsonDepth({ a: 1, b: 'x' }, 1)).toBe(true);
    expect(withinJsonDepth({ a: [1] }, 1)).toBe(false);
    expect(withinJsonDepth({ a: [1], b: { c: {} } }, 3)).toBe(true);
  });

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more`, () => {
    expect(withinJsonDepth(nested(MAX_JSON_DEPTH))).toBe(true);
    expect(withinJsonDepth(nested(MAX_JSON_DEPTH + 1))).toBe(false);
  });

  it('judges a value too deep for JSON.stringify without overflowing the stack', () => {
    const deep = nested(200_000);
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(withinJsonDepth(deep)).toBe(false);
  });
});
