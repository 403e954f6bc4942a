import { afterAll, beforeAll, expect } from 'vitest';
import type { ApiTarget } from '../support/client.js';
import { createContractChecker, type ContractChecker } from '../support/contract.js';
import { authSuite } from './suites/auth.js';
import { errorsSuite } from './suites/errors.js';
import { healthSuite } from './suites/health.js';
import { heartbeatsSuite } from './suites/heartbeats.js';
import { idempotencySuite, type IdempotencyHarness } from './suites/idempotency.js';
import { jobKeysSuite } from './suites/job-keys.js';
import { jobsSuite } from './suites/jobs.js';
import { metricsSuite } from './suites/metrics.js';
import { openApiDocumentSuite } from './suites/openapi-document.js';
import { pingsSuite } from './suites/pings.js';
import { queriesSuite } from './suites/queries.js';
import { racesSuite } from './suites/races.js';
import { runsSuite } from './suites/runs.js';
import { slowRunsSuite } from './suites/slow-runs.js';
import { summariesSuite } from './suites/summaries.js';
import { webhooksSuite } from './suites/webhooks.js';
import { channelsSuite } from './suites/channels.js';

/**
 * The HTTP behaviour suite. Runtime-neutral (no Node APIs): each runtime's test file starts its
 * own target and hands a getter in, and the same assertions run everywhere.
 */
export function describeApiSuite(
  getRawTarget: () => ApiTarget,
  /** The same database's stores, and apps over it with other dependencies (a clock). */
  getDatabase: () => Omit<IdempotencyHarness, 'target'>,
) {
  let checked: ApiTarget;
  let checker: ContractChecker;
  const getTarget = () => checked;
  // Every response any suite receives is held to the OpenAPI document.
  const checking = (raw: ApiTarget): ApiTarget => ({
    async fetch(path, init) {
      const response = await raw.fetch(path, init);
      const text = await response.clone().text();
      const type = response.headers.get('Content-Type');
      const body = /json/.test(type ?? '') && text !== '' ? JSON.parse(text) : text;
      checker.check(init?.method ?? 'GET', path, response.status, type, body);
      return response;
    },
  });

  beforeAll(async () => {
    const raw = getRawTarget();
    const doc = await raw.fetch('/api/openapi.json');
    checker = createContractChecker(
      (await doc.json()) as Parameters<typeof createContractChecker>[0],
    );
    checked = checking(raw);
  });

  afterAll(() => {
    // Guards the guard: if nothing was checked, the wrapper above is not in the path.
    expect(checker.checked).toBeGreaterThan(100);
  });

  jobsSuite(getTarget);
  jobKeysSuite(getTarget);
  runsSuite(getTarget);
  heartbeatsSuite(getTarget);
  errorsSuite(getTarget);
  racesSuite(getTarget);
  queriesSuite(getTarget);
  authSuite(getTarget);
  summariesSuite(getTarget);
  metricsSuite(getTarget);
  webhooksSuite(getTarget);
  channelsSuite(getTarget);
  const harness = () => {
    const database = getDatabase();
    return {
      target: checked,
      stores: database.stores,
      appWith: (overrides: Parameters<typeof database.appWith>[0]) =>
        checking(database.appWith(overrides)),
    };
  };
  healthSuite(harness);
  idempotencySuite(harness);
  pingsSuite(harness);
  openApiDocumentSuite(harness);
  slowRunsSuite(harness);
}
