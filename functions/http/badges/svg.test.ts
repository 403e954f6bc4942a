import { describe, expect, it } from 'vitest';
import { jobBadge, projectBadge } from './presenters.js';
import { badgeSvg, escapeXml, MAX_LABEL_LENGTH, textWidth, truncate } from './svg.js';

describe('badge SVG', () => {
  it('escapes the XML specials and drops what XML 1.0 forbids', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;',
    );
    expect(escapeXml('a\u0000b\u0007c\u001bd\ud800e\uffff')).toBe('abcde');
    expect(escapeXml('tab\tnewline\n漢字 🚀 é')).toBe('tab\tnewline\n漢字 🚀 é');
  });

  it('measures text with the 11px width table', () => {
    // b 6.98 + u 6.97 + i 3.06 + l 3.06 + d 6.98
    expect(textWidth('build')).toBeCloseTo(27.05, 5);
    expect(textWidth('up')).toBeCloseTo(13.95, 5);
    // Wide characters take an em, others an average width; combining marks nothing.
    expect(textWidth('漢字')).toBe(22);
    expect(textWidth('e\u0301')).toBe(textWidth('e'));
  });

  it('cuts a long label with an ellipsis', () => {
    const long = 'x'.repeat(200);
    expect([...truncate(long)]).toHaveLength(MAX_LABEL_LENGTH);
    expect(truncate(long).endsWith('…')).toBe(true);
    expect(truncate('short')).toBe('short');
  });

  it('sizes the two halves from their texts', () => {
    const svg = badgeSvg({ label: 'build', message: 'up', color: 'brightgreen' });
    const [, width] = /^<svg [^>]*width="(\d+)"/.exec(svg)!;
    expect(Number(width)).toBe(Math.round(27.1 + 10) + Math.round(14 + 10));
    expect(svg).toContain('aria-label="build: up"');
  });

  it('colours each health as the issue asks', () => {
    const color = (health: Parameters<typeof jobBadge>[0]['health']) =>
      jobBadge({ name: 'n', health }).color;
    expect(['up', 'late', 'down', 'paused', 'new'].map((h) => color(h as never))).toEqual([
      'brightgreen',
      'yellow',
      'red',
      'lightgrey',
      'lightgrey',
    ]);
    expect(projectBadge({ worst: 'late', count: 1, total: 4 })).toEqual({
      label: 'jobs',
      message: '1/4 late',
      color: 'yellow',
    });
  });
});
