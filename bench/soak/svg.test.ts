import { describe, expect, it } from 'vitest';
import { escapeXml, soakSvg, ticks } from './svg.js';
import { verdict, type Sample } from './verdict.js';

const samples: Sample[] = Array.from({ length: 30 }, (_, i) => ({
  t: (i + 1) * 10,
  rssMiB: 110 + (i % 3),
  heapUsedMiB: 35 + (i % 5),
  loopP99Ms: 11 + (i % 2),
  p50Ms: 3,
  p99Ms: 18 + (i % 4),
  requests: 1900,
  errors: 0,
  rejected: 0,
  skipped: 0,
  walMiB: 3.9,
  hooks: 25,
  loadAverage: 1,
}));

/** Well-formed XML, checked by hand (no XML parser in the dependencies): every tag closed in order. */
function wellFormed(svg: string): boolean {
  const stack: string[] = [];
  for (const [tag, close, name, selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (selfClosing) continue;
    if (!close) stack.push(name!);
    else if (stack.pop() !== name) return false;
    if (tag.includes('<', 1)) return false;
  }
  return stack.length === 0 && !/&(?!amp;|lt;|gt;|quot;)/.test(svg);
}

describe('soakSvg', () => {
  const result = verdict(samples);
  const svg = soakSvg(samples, result, { title: 'Soak <test> & co', subtitle: 'a machine' });

  it('is one well-formed SVG document with the title escaped', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain('Soak &lt;test&gt; &amp; co');
  });

  it('draws RSS, heap, both p99s, the trend, the WAL and the load, one point a sample', () => {
    const lines = [...svg.matchAll(/<polyline data-series="([^"]+)" points="([^"]+)"/g)];
    expect(lines.map(([, name]) => name)).toEqual([
      'RSS',
      'heap used',
      'client p99',
      'event-loop p99',
      'trend',
      'WAL',
      'load average',
    ]);
    for (const [, name, points] of lines) {
      const pairs = points!.split(' ');
      expect(pairs).toHaveLength(name === 'trend' ? 2 : samples.length);
      for (const pair of pairs) expect(pair).toMatch(/^\d+(\.\d)?,\d+(\.\d)?$/);
    }
  });

  it('shades the warm-up and draws the RSS goal at +10% over RSS after it', () => {
    expect(svg).toContain('>warm-up</text>');
    expect(svg).toContain('goal: +10% over RSS after warm-up');
  });
});

describe('ticks', () => {
  it('picks round steps covering the range', () => {
    expect(ticks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(ticks(0, 123, 5)).toEqual([0, 20, 40, 60, 80, 100, 120]);
    expect(ticks(0, 0.9, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(ticks(5, 5)).toEqual([5]);
  });

  it('escapes what XML reserves', () => {
    expect(escapeXml('a<b>&"c"')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
  });
});
