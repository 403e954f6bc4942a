import { env } from 'cloudflare:test';
import { openD1 } from '../db/d1.js';
import { describeLostRunsContract } from '../db/test-support/lost-runs-contract.js';

// The same contract as db/lost-runs.test.ts, on D1 in workerd: one database for the file, so
// each test looks only at its own jobs' runs.
describeLostRunsContract('D1', async () => openD1(env.DB));
