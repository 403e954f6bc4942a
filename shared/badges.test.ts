import { describe, expect, it } from 'vitest';
import { BADGE_KEY_PATTERN, newBadgeKey, projectBadge } from './badges.js';

describe('projectBadge', () => {
  it.each([
    [[], { worst: null, count: 0, total: 0 }],
    [['paused'], { worst: null, count: 0, total: 0 }],
    [['new', 'new'], { worst: 'new', count: 2, total: 2 }],
    [['new', 'up', 'up'], { worst: 'up', count: 2, total: 3 }],
    [['up', 'late', 'paused'], { worst: 'late', count: 1, total: 2 }],
    [['down', 'late', 'down', 'up', 'new'], { worst: 'down', count: 2, total: 5 }],
  ] as const)('takes the worst of %j', (healths, expected) => {
    expect(projectBadge(healths)).toEqual(expected);
  });
});

describe('newBadgeKey', () => {
  it('is 128 random bits in hex, different each time', () => {
    const keys = new Set(Array.from({ length: 100 }, newBadgeKey));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(BADGE_KEY_PATTERN);
  });
});
