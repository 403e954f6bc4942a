import { describe, expect, it } from 'vitest';
import { retentionText } from './retention';

describe('retentionText', () => {
  it('says what a project keeps and whose setting it is', () => {
    expect(retentionText({ retentionDays: null, effectiveRetentionDays: 0 })).toBe(
      "Keeps every run (the server's default)",
    );
    expect(retentionText({ retentionDays: null, effectiveRetentionDays: 30 })).toBe(
      "Keeps finished runs for 30 days (the server's default)",
    );
    expect(retentionText({ retentionDays: 1, effectiveRetentionDays: 1 })).toBe(
      "Keeps finished runs for 1 day (this project's setting)",
    );
    expect(retentionText({ retentionDays: 0, effectiveRetentionDays: 0 })).toBe(
      "Keeps every run (this project's setting)",
    );
  });
});
