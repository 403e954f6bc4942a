import type { ApiTarget } from './client.js';
import { errorsSuite } from './suites/errors.js';
import { jobsSuite } from './suites/jobs.js';
import { queriesSuite } from './suites/queries.js';
import { racesSuite } from './suites/races.js';
import { runsSuite } from './suites/runs.js';

/**
 * The HTTP behaviour suite. Runtime-neutral (no Node APIs): each runtime's test file starts its
 * own target and hands a getter in, and the same assertions run everywhere.
 */
export function describeApiSuite(getTarget: () => ApiTarget) {
  jobsSuite(getTarget);
  runsSuite(getTarget);
  errorsSuite(getTarget);
  racesSuite(getTarget);
  queriesSuite(getTarget);
}
