import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { StorageState } from '../../db/storage.js';
import type { ProcessMetrics } from '../http/middleware/request-metrics.js';

/**
 * OpenTelemetry's default boundaries for `http.server.request.duration` (seconds): from 5 ms,
 * the API's typical answer, to 10 s.
 */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const NOT_COUNTERS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * The Node process's own metrics, in a registry of its own (never prom-client's global one, so
 * two apps in one process, as in the tests, never share counters): prom-client's default
 * `process_*` and `nodejs_*` metrics, `http_server_request_duration_seconds`, and the state of
 * the database's volume as this process's writes found it (`storage`).
 */
export function createProcessMetrics(storage?: StorageState): ProcessMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Gauges named like counters, which `promtool check metrics` refuses; each is the sum of the
  // per-type gauge beside it (`sum(nodejs_active_handles)`).
  for (const name of NOT_COUNTERS) registry.removeSingleMetric(name);
  const requests = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  if (storage) registerStorageMetrics(registry, storage);
  return {
    registry,
    observeRequest: (labels, seconds) => requests.observe(labels, seconds),
  };
}

/** The storage state, read at each scrape. */
function registerStorageMetrics(registry: Registry, storage: StorageState): void {
  new Gauge({
    name: 'chronotrack_storage_full',
    help: '1 while writes are refused because the database volume is full (507 STORAGE_FULL), else 0.',
    registers: [registry],
    collect() {
      this.set(storage.full ? 1 : 0);
    },
  });
  let counted = 0;
  new Counter({
    name: 'chronotrack_storage_refused_writes_total',
    help: 'Writes refused because the database volume was full, since the process started.',
    registers: [registry],
    collect() {
      if (storage.refusedWrites > counted) this.inc(storage.refusedWrites - counted);
      counted = storage.refusedWrites;
    },
  });
}
