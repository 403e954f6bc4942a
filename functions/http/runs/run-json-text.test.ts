import { describe, expect, it } from 'vitest';
import type { JobRun, Page } from '../../../shared/models.js';
import { RUN_STATUSES } from '../../../shared/run-status.js';
import { pageJson } from '../wire-primitives.js';
import { runJson } from './presenters.js';
import { runPageText } from './run-json-text.js';

const plain = (page: Page<JobRun>) => JSON.stringify(pageJson(page, runJson));

const base: JobRun = {
  id: 1,
  jobId: 2,
  status: 'SUCCESS',
  createdAt: new Date('2026-01-02T03:04:05.678Z'),
  startedAt: new Date('2026-01-02T03:04:06.000Z'),
  finishedAt: new Date('2026-01-02T03:05:06.001Z'),
  durationMs: 60001,
  errorMessage: null,
  metadata: null,
  exitCode: 0,
  lastHeartbeatAt: null,
  slow: false,
};

/** Every field at its edges: nulls, escapes, unicode (lone surrogates too), numbers, metadata. */
const edgeRuns: JobRun[] = [
  base,
  { ...base, startedAt: null, finishedAt: null, durationMs: null, exitCode: null },
  ...RUN_STATUSES.map((status) => ({ ...base, status })),
  { ...base, slow: true, lastHeartbeatAt: new Date(0) },
  { ...base, createdAt: new Date(-62198755200000), finishedAt: new Date(253402300799999) },
  { ...base, createdAt: new Date(8.64e15), startedAt: new Date(-8.64e15) },
  { ...base, id: Number.MAX_SAFE_INTEGER, jobId: 2 ** 62, durationMs: -0, exitCode: -255 },
  { ...base, durationMs: 1.5e300, exitCode: 1e21 },
  { ...base, durationMs: Number.NaN, exitCode: Number.POSITIVE_INFINITY },
  { ...base, errorMessage: '' },
  { ...base, errorMessage: 'exit 1: "quoted" \\ back\nslash\ttab\u0000\u001f\u007f' },
  { ...base, errorMessage: 'héllo wörld ✓ 日本語 😀 \u2028\u2029 \ud800 lone \udfff' },
  { ...base, errorMessage: '</script><!-- & \' "' },
  { ...base, metadata: {} },
  {
    ...base,
    metadata: {
      triggeredBy: 'cron',
      nested: { deep: [1, 2.5, -0, 1e21, null, true, false, 'ü😀', { a: [] }] },
      'key "with" quotes': '\n',
      '': null,
      big: 2 ** 70,
      __proto__: 'x',
    },
  },
  { ...base, metadata: { order: 'kept', b: 1, a: 2, 10: 'ten', 2: 'two' } },
];

describe('runPageText', () => {
  it('writes an empty page as JSON.stringify does', () => {
    expect(runPageText({ data: [], nextCursor: null })).toBe(plain({ data: [], nextCursor: null }));
  });

  it.each(edgeRuns.map((run, i) => [i, run] as const))(
    'writes run %i as JSON.stringify(runJson(run)) does',
    (_, run) => {
      const page = { data: [run], nextCursor: null };
      expect(runPageText(page)).toBe(plain(page));
    },
  );

  it('writes a whole page and its cursor as JSON.stringify does', () => {
    for (const nextCursor of [null, 'eyJrIjoxLCJpZCI6Mn0', 'a"b\\c\u2028']) {
      const page = { data: edgeRuns, nextCursor };
      expect(runPageText(page)).toBe(plain(page));
    }
  });

  it('matches over generated runs', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const maybe = <T>(value: T) => (next() < 0.3 ? null : value);
    const text = () =>
      String.fromCharCode(
        ...Array.from({ length: Math.floor(next() * 12) }, () => next() * 0xffff),
      );
    const data = Array.from({ length: 500 }, (_, i): JobRun => ({
      id: i + 1,
      jobId: Math.floor(next() * 1e6),
      status: RUN_STATUSES[Math.floor(next() * RUN_STATUSES.length)]!,
      createdAt: new Date(Math.floor(next() * 4e12)),
      startedAt: maybe(new Date(Math.floor(next() * 4e12))),
      finishedAt: maybe(new Date(Math.floor(next() * 4e12))),
      durationMs: maybe(Math.floor(next() * 1e9)),
      errorMessage: maybe(text()),
      metadata: maybe({ [text()]: text(), n: next() }),
      exitCode: maybe(Math.floor(next() * 256) - 128),
      lastHeartbeatAt: maybe(new Date(Math.floor(next() * 4e12))),
      slow: next() < 0.5,
    }));
    const page = { data, nextCursor: 'cursor' };
    expect(runPageText(page)).toBe(plain(page));
  });
});
