import { describe, expect, it } from 'vitest';
import { RUN_STATUSES, canTransition, isTerminal, type RunStatus } from './run-status.js';

const ALLOWED: Array<[RunStatus, RunStatus]> = [
  ['PENDING', 'RUNNING'],
  ['PENDING', 'CANCELLED'],
  ['RUNNING', 'SUCCESS'],
  ['RUNNING', 'FAILED'],
  ['RUNNING', 'CANCELLED'],
];

describe('run status machine', () => {
  it('allows exactly the documented transitions', () => {
    for (const from of RUN_STATUSES) {
      for (const to of RUN_STATUSES) {
        const expected = ALLOWED.some(([a, b]) => a === from && b === to);
        expect(canTransition(from, to), `${from} -> ${to}`).toBe(expected);
      }
    }
  });

  it('treats SUCCESS, FAILED and CANCELLED as terminal', () => {
    expect(RUN_STATUSES.filter(isTerminal)).toEqual(['SUCCESS', 'FAILED', 'CANCELLED']);
  });
});
