/**
 * The soak's load: a plain fetch-based driver, open loop (flows start at their rate whatever the
 * server's latency, as cron hosts and dashboards do), mixing what a tracker gets in production:
 * Healthchecks-style pings, `chronotrack exec`-style runs with heartbeats, history pages, and
 * the dashboard's jobs page polling every 2 s. Latencies are kept per window and read by the
 * sampler every 10 s.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LoadShape {
  /** Ping executions a second: half a lone success ping, half a start then success or fail. */
  pingsPerSecond: number;
  /** CLI-style runs started a second: create RUNNING, a heartbeat every 2 s, finish. */
  cliRunsPerSecond: number;
  /** History pages a second: a job's 50 newest runs, or the 50 newest of all. */
  pagesPerSecond: number;
  /** Dashboard viewers on the jobs page, each polling its summaries every 2 s. */
  viewers: number;
}

/** ~190 requests a second (`nominalRate`). */
export const DEFAULT_SHAPE: LoadShape = {
  pingsPerSecond: 50,
  cliRunsPerSecond: 10,
  pagesPerSecond: 60,
  viewers: 10,
};

const CLI_MEAN_MS = 7000;
const HEARTBEAT_MS = 2000;
const POLL_MS = 2000;
const FAILED_SHARE = 0.1;
/**
 * Requests in flight above which new flows are skipped (counted): a server starved by other
 * work on the machine would otherwise be buried under an ever-growing backlog, and the soak would
 * measure that spiral instead of drift. The load's own runs under way still send their requests.
 */
const MAX_IN_FLIGHT = 64;
/** CLI runs whose wrapper "dies": no finish, so the lost-run sweep fails them. */
const CRASHED_SHARE = 0.01;

/** Requests a second the shape makes on average. */
export const nominalRate = (shape: LoadShape) =>
  shape.pingsPerSecond * 1.5 +
  shape.cliRunsPerSecond * (2 + CLI_MEAN_MS / HEARTBEAT_MS - 0.5) +
  shape.pagesPerSecond +
  (shape.viewers * 1000) / POLL_MS;

/** The default shape with its pings, runs and pages scaled to about `rate` requests a second. */
export function shapeFor(rate: number, viewers = DEFAULT_SHAPE.viewers): LoadShape {
  const polls = (viewers * 1000) / POLL_MS;
  const factor =
    Math.max(0, rate - polls) /
    (nominalRate(DEFAULT_SHAPE) - (DEFAULT_SHAPE.viewers * 1000) / POLL_MS);
  return {
    pingsPerSecond: DEFAULT_SHAPE.pingsPerSecond * factor,
    cliRunsPerSecond: DEFAULT_SHAPE.cliRunsPerSecond * factor,
    pagesPerSecond: DEFAULT_SHAPE.pagesPerSecond * factor,
    viewers,
  };
}

export interface Fixtures {
  pingUuids: string[];
  cliKeys: string[];
  jobIds: number[];
}

export interface Window {
  requests: number;
  /** 5xx answers and requests with no answer. */
  errors: number;
  /** 4xx answers: the driver's own mistakes, or a run swept before its finish. */
  rejected: number;
  p50Ms: number;
  p99Ms: number;
  /** Flows not started because MAX_IN_FLIGHT requests were waiting. */
  skipped: number;
  /** The last request error of the window (a code such as ECONNRESET), for the printed line. */
  lastError: string | null;
}

const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;

const LOG = Array.from(
  { length: 200 },
  (_, i) => `2026-12-01T02:00:${String(i % 60).padStart(2, '0')}Z step ${i}: copied 1024 files\n`,
).join('');
/** The last `bytes` of a plausible command output. */
const tail = (bytes: number) => LOG.slice(-bytes);

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

export class SoakLoad {
  private latencies: number[] = [];
  private errors = 0;
  private rejected = 0;
  private skipped = 0;
  private inFlight = 0;
  private lastError: string | null = null;
  private stopped = false;
  private timers: NodeJS.Timeout[] = [];
  private flows = new Set<Promise<void>>();

  constructor(
    private readonly base: string,
    private readonly key: string,
    private readonly fixtures: Fixtures,
    private readonly shape: LoadShape,
    /** Sent on every request when set (`identity` turns the server's compression off). */
    private readonly acceptEncoding?: string,
  ) {}

  start(): void {
    const TICK_MS = 100;
    const flows: Array<[number, () => Promise<void>]> = [
      [this.shape.pingsPerSecond, () => this.ping()],
      [this.shape.cliRunsPerSecond, () => this.cliRun()],
      [this.shape.pagesPerSecond, () => this.page()],
    ];
    const credit = flows.map(() => 0);
    this.timers.push(
      setInterval(() => {
        flows.forEach(([rate, flow], i) => {
          credit[i]! += (rate * TICK_MS) / 1000;
          // Spread over the tick; not kept in `timers` (one a flow), so checked at firing.
          for (; credit[i]! >= 1; credit[i]! -= 1)
            setTimeout(() => this.track(flow), Math.random() * TICK_MS);
        });
      }, TICK_MS),
    );
    for (let viewer = 0; viewer < this.shape.viewers; viewer++)
      this.timers.push(
        setTimeout(
          () => this.timers.push(setInterval(() => this.track(() => this.poll()), POLL_MS)),
          Math.random() * POLL_MS,
        ),
      );
  }

  /** Stops starting flows; the runs under way finish at once, and their requests are waited for. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.all(this.flows);
  }

  /** The window since the last call, and a new one. */
  window(): Window {
    const sorted = this.latencies.sort((a, b) => a - b);
    const window = {
      requests: sorted.length,
      errors: this.errors,
      rejected: this.rejected,
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
      skipped: this.skipped,
      lastError: this.lastError,
    };
    this.lastError = null;
    this.skipped = 0;
    this.latencies = [];
    this.errors = 0;
    this.rejected = 0;
    return window;
  }

  private track(start: () => Promise<void>): void {
    if (this.stopped) return;
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.skipped++;
      return;
    }
    const flow = start();
    this.flows.add(flow);
    void flow.finally(() => this.flows.delete(flow));
  }

  /** One request, timed from sending to the last byte of the answer. */
  private async send(
    method: string,
    path: string,
    options: { body?: string; json?: unknown; key?: boolean } = {},
  ): Promise<{ status: number; text: string } | null> {
    const headers: Record<string, string> = {};
    if (options.key !== false) headers.authorization = `Bearer ${this.key}`;
    if (this.acceptEncoding !== undefined) headers['accept-encoding'] = this.acceptEncoding;
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (body !== undefined) headers['content-type'] = 'text/plain';
    const started = performance.now();
    this.inFlight++;
    try {
      const response = await fetch(`${this.base}${path}`, { method, headers, body });
      const text = await response.text();
      this.latencies.push(performance.now() - started);
      if (response.status >= 500) this.errors++;
      else if (response.status >= 400) this.rejected++;
      return { status: response.status, text };
    } catch (error) {
      this.latencies.push(performance.now() - started);
      this.errors++;
      const cause = (error as { cause?: { code?: string } }).cause;
      this.lastError = cause?.code ?? String(error);
      return null;
    } finally {
      this.inFlight--;
    }
  }

  private async ping(): Promise<void> {
    const uuid = pick(this.fixtures.pingUuids);
    const lone = Math.random();
    if (lone < 0.25) {
      await this.send('GET', `/ping/${uuid}`, { key: false });
      return;
    }
    if (lone < 0.5) {
      await this.send('POST', `/ping/${uuid}`, { key: false, body: tail(300) });
      return;
    }
    const rid = randomUUID();
    await this.send('POST', `/ping/${uuid}/start?rid=${rid}`, { key: false });
    await sleep(1000 + Math.random() * 4000);
    const failed = Math.random() < FAILED_SHARE;
    await this.send('POST', `/ping/${uuid}${failed ? '/fail' : ''}?rid=${rid}`, {
      key: false,
      body: tail(failed ? 2000 : 300),
    });
  }

  private async cliRun(): Promise<void> {
    const created = await this.send(
      'POST',
      `/api/jobs/by-key/${pick(this.fixtures.cliKeys)}/runs`,
      {
        json: {
          status: 'RUNNING',
          metadata: { host: 'soak', pid: Math.floor(Math.random() * 1e5) },
        },
      },
    );
    if (created?.status !== 201) return;
    const { id } = JSON.parse(created.text) as { id: number };
    const end = performance.now() + CLI_MEAN_MS * 2 * Math.random();
    while (!this.stopped && performance.now() + HEARTBEAT_MS < end) {
      await sleep(HEARTBEAT_MS);
      await this.send('POST', `/api/runs/${id}/heartbeat`);
    }
    if (!this.stopped && Math.random() < CRASHED_SHARE) return;
    const failed = Math.random() < FAILED_SHARE;
    await this.send('PATCH', `/api/runs/${id}`, {
      json: failed
        ? { status: 'FAILED', exitCode: 1, errorMessage: 'exit code 1', output: tail(4000) }
        : { status: 'SUCCESS', exitCode: 0, output: tail(1000) },
    });
  }

  private async page(): Promise<void> {
    const path =
      Math.random() < 0.5
        ? `/api/jobs/${pick(this.fixtures.jobIds)}/runs?limit=50`
        : `/api/runs?limit=50${Math.random() < 0.2 ? '&status=FAILED' : ''}`;
    await this.send('GET', path);
  }

  /** What the jobs page asks every 2 s while a run on it is RUNNING (web/src/features/jobs/api.ts). */
  private async poll(): Promise<void> {
    await this.send('GET', '/api/jobs/summaries?limit=100');
  }
}
