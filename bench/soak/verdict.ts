/**
 * The soak's goals (issue 25) and the verdict over a series of samples: pure functions, so the
 * rules are tested on synthetic series (verdict.test.ts) and never by running a soak.
 */

/** One 10-second sample of the server under load. */
export interface Sample {
  /** Seconds since the load started. */
  t: number;
  rssMiB: number;
  heapUsedMiB: number;
  /** The server's event-loop delay p99 over the interval (prom-client, reset at each scrape). */
  loopP99Ms: number;
  /** Client-side latency over the interval's requests. */
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** 5xx answers and requests that got no answer. */
  errors: number;
  /** 4xx answers (not a goal: a run swept before its finish gets a 409, as a real wrapper would). */
  rejected: number;
  /** Flows the driver did not start because 64 requests were already waiting (a stalled server). */
  skipped: number;
  walMiB: number;
  /** Webhook deliveries the receiver got during the interval. */
  hooks: number;
  /** The machine's 1-minute load average: on a shared machine, what else was running. */
  loadAverage: number;
}

export interface Goals {
  /** Samples before this (seconds) are warm-up: JIT, caches, V8 sizing its heap. */
  warmupSeconds: number;
  /** RSS at the end over RSS just after warm-up, minus 1. */
  maxRssGrowth: number;
  /** The p99 rise the trend predicts over the measured window, as a share of the median p99. */
  maxP99Rise: number;
  maxWalMiB: number;
}

export const DEFAULT_GOALS: Goals = {
  warmupSeconds: 120,
  maxRssGrowth: 0.1,
  maxP99Rise: 0.2,
  maxWalMiB: 64,
};

/** The warm-up of a soak of `seconds`: the goal's, but at most a fifth of a short soak. */
export const warmupFor = (seconds: number, goals: Goals = DEFAULT_GOALS): number =>
  Math.min(goals.warmupSeconds, seconds / 5);

export interface Trend {
  /** Least-squares slope, per minute. */
  perMinute: number;
  /** The line's value at t = 0 s: y = intercept + perMinute * t / 60. */
  intercept: number;
  /** The slope over its standard error: above ~2 the rise is unlikely to be noise. */
  t: number;
}

/** Least-squares line through (x seconds, y); slope per minute and its t statistic. */
export function trend(points: Array<[number, number]>): Trend {
  const n = points.length;
  if (n < 3) return { perMinute: 0, intercept: points[0]?.[1] ?? 0, t: 0 };
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
  }
  if (sxx === 0) return { perMinute: 0, intercept: my, t: 0 };
  const slope = sxy / sxx;
  const residuals = points.reduce((s, [x, y]) => s + (y - my - slope * (x - mx)) ** 2, 0);
  const standardError = Math.sqrt(residuals / (n - 2) / sxx);
  const t =
    standardError === 0 ? (slope === 0 ? 0 : Math.sign(slope) * Infinity) : slope / standardError;
  return { perMinute: slope * 60, intercept: my - slope * mx, t };
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Check {
  /** A short name for the plot's title: `RSS`, `p99 trend`, `WAL`, `errors`. */
  name: string;
  goal: string;
  met: boolean;
  /** What was measured, in words: printed, and written to the results file. */
  measured: string;
}

export interface Verdict {
  met: boolean;
  warmupSeconds: number;
  rss: { afterWarmupMiB: number; endMiB: number; growth: number; trend: Trend };
  p99: { medianMs: number; trend: Trend; riseMs: number };
  walMaxMiB: number;
  errors: number;
  skipped: number;
  requests: number;
  checks: Check[];
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/**
 * The verdict over a soak's samples. After the warm-up: RSS at the end (median of the last three
 * samples) within `maxRssGrowth` of RSS just after it (median of the first three); the p99's
 * least-squares trend not rising, i.e. not both significant (t > 2) and predicting a rise over the
 * window above `maxP99Rise` of the median p99; over the whole soak: the WAL under `maxWalMiB`,
 * no 5xx answers or failed requests, and no flow skipped for want of answers.
 */
export function verdict(samples: Sample[], goals: Goals = DEFAULT_GOALS): Verdict {
  const end = samples.at(-1)?.t ?? 0;
  const warmupSeconds = warmupFor(end, goals);
  const measured = samples.filter((s) => s.t > warmupSeconds);
  if (measured.length < 3)
    throw new Error(`${measured.length} samples after the warm-up: run the soak longer`);

  const afterWarmupMiB = median(measured.slice(0, 3).map((s) => s.rssMiB));
  const endMiB = median(measured.slice(-3).map((s) => s.rssMiB));
  const growth = endMiB / afterWarmupMiB - 1;
  const rssTrend = trend(measured.map((s) => [s.t, s.rssMiB]));

  const p99Trend = trend(measured.map((s) => [s.t, s.p99Ms]));
  const medianMs = median(measured.map((s) => s.p99Ms));
  const windowMinutes = (measured.at(-1)!.t - measured[0]!.t) / 60;
  const riseMs = p99Trend.perMinute * windowMinutes;
  const p99Rising = p99Trend.t > 2 && riseMs > goals.maxP99Rise * medianMs;

  const walMaxMiB = Math.max(...samples.map((s) => s.walMiB));
  const errors = samples.reduce((sum, s) => sum + s.errors, 0);
  const skipped = samples.reduce((sum, s) => sum + s.skipped, 0);
  const requests = samples.reduce((sum, s) => sum + s.requests, 0);

  const checks: Check[] = [
    {
      name: 'RSS',
      goal: `RSS grows less than ${goals.maxRssGrowth * 100}% after the warm-up`,
      met: growth < goals.maxRssGrowth,
      measured: `${round(afterWarmupMiB)} → ${round(endMiB)} MiB (${growth >= 0 ? '+' : ''}${round(growth * 100)}%; trend ${round(rssTrend.perMinute, 2)} MiB/min)`,
    },
    {
      name: 'p99 trend',
      goal: `p99 does not trend upward (a significant rise over ${goals.maxP99Rise * 100}% of its median)`,
      met: !p99Rising,
      measured: `slope ${round(p99Trend.perMinute, 2)} ms/min (t = ${round(p99Trend.t)}), ${riseMs >= 0 ? '+' : ''}${round(riseMs)} ms over ${round(windowMinutes)} min against a median p99 of ${round(medianMs)} ms`,
    },
    {
      name: 'WAL',
      goal: `WAL stays under ${goals.maxWalMiB} MiB`,
      met: walMaxMiB < goals.maxWalMiB,
      measured: `at most ${round(walMaxMiB, 2)} MiB`,
    },
    {
      name: 'errors',
      goal: 'no 5xx answers, no failed requests, no flows skipped',
      met: errors === 0 && skipped === 0,
      measured: `${errors} of ${requests.toLocaleString('en')} requests; ${skipped} flows skipped`,
    },
  ];
  return {
    met: checks.every((c) => c.met),
    warmupSeconds,
    rss: { afterWarmupMiB, endMiB, growth, trend: rssTrend },
    p99: { medianMs, trend: p99Trend, riseMs },
    walMaxMiB,
    errors,
    skipped,
    requests,
    checks,
  };
}
