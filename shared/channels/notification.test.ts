import { describe, expect, it } from 'vitest';
import { maskSecret, maskedConfig } from './model.js';
import {
  facts,
  headline,
  humanDuration,
  outputTail,
  plainText,
  type Notification,
} from './notification.js';

const base: Notification = {
  event: 'job.up',
  at: new Date('2026-12-01T05:15:00Z'),
  job: { id: 7, name: 'Nightly backup', key: 'nightly-backup', projectName: 'Ops' },
  run: null,
  expectedAt: null,
  lastSuccessAt: null,
  downSince: new Date('2026-12-01T03:05:00Z'),
  held: null,
  links: null,
};

describe('what a channel message says', () => {
  it('reads durations as a person would', () => {
    expect(humanDuration(42_000)).toBe('42 s');
    expect(humanDuration(5 * 60_000)).toBe('5 min');
    expect(humanDuration(2 * 3600_000 + 10 * 60_000)).toBe('2 h 10 min');
    expect(humanDuration(3 * 3600_000)).toBe('3 h');
    expect(humanDuration(50 * 3600_000)).toBe('2 d 2 h');
  });

  it('keeps the last 5 lines of output, at most 600 characters', () => {
    expect(outputTail(null)).toBeNull();
    expect(outputTail('\n\n')).toBeNull();
    expect(outputTail('1\n2\n3\n4\n5\n6\n7\n')).toBe('3\n4\n5\n6\n7');
    const long = outputTail('x'.repeat(1000))!;
    expect(long).toHaveLength(601);
    expect(long.startsWith('…')).toBe(true);
  });

  it('names the job and project in the headline, and how long a job was down when it is up', () => {
    expect(headline(base)).toEqual({ title: 'UP: Nightly backup (Ops)', tone: 'good' });
    expect(facts(base)).toContainEqual(['Down for', '2 h 10 min']);
    expect(headline({ ...base, job: null })).toEqual({
      title: 'ChronoTrack test notification',
      tone: 'info',
    });
  });

  it('says when a late job was expected and that it never succeeded, and counts held failures', () => {
    const late = {
      ...base,
      event: 'job.late',
      downSince: null,
      expectedAt: new Date('2026-12-01T03:00:00Z'),
    };
    expect(plainText(late)).toContain('Expected at: 2026-12-01T03:00:00.000Z\nLast success: never');
    const failed: Notification = {
      ...base,
      event: 'run.failed',
      downSince: null,
      run: { id: 1, exitCode: 3, errorMessage: 'disk full', durationMs: 1000, outputTail: 'boom' },
      held: { count: 1, since: new Date('2026-12-01T02:05:00Z') },
    };
    expect(plainText(failed)).toContain(
      'Held back: and 1 more failure since 2026-12-01T02:05:00.000Z',
    );
    expect(plainText(failed).endsWith('Output (last lines):\nboom')).toBe(true);
  });

  it('masks secrets to the host and the last 4 characters', () => {
    expect(maskSecret('https://hooks.slack.com/services/T0/B0/abcdefWXYZ')).toBe(
      'https://hooks.slack.com/…WXYZ',
    );
    // An http receiver on a LAN keeps its scheme: masking must not make it read as https.
    expect(maskSecret('http://10.0.0.5:8080/hooks/secretPATH')).toBe('http://10.0.0.5:8080/…PATH');
    expect(maskSecret('R0123456789abcdef')).toBe('…cdef');
    expect(maskSecret('short')).toBe('…'); // too short to show any of it
    expect(maskedConfig({ type: 'ntfy', url: 'https://ntfy.sh/t' })).toEqual({
      url: 'https://ntfy.sh/t',
    });
  });
});
