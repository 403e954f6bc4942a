import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_ADMIN_KEY } from '../support/keys.js';
import { startNodeServer } from '../support/node-process.js';
import { startWranglerDev } from '../support/wrangler-dev.js';

/** A server the fuzzer sends to; `stop` leaves its log in `logFile`. */
export interface FuzzTarget {
  baseUrl: string;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * The settings both runtimes are fuzzed with: no rate limit (thousands of requests a minute from
 * one key).
 */
export const FUZZ_SERVER_ENV = {
  ADMIN_API_KEY: TEST_ADMIN_KEY,
  RATE_LIMIT_PER_MINUTE: '0',
};

/** The real Node entry on a database in `dir`. */
export async function startFuzzNode(dir: string): Promise<FuzzTarget> {
  const server = await startNodeServer({
    ...FUZZ_SERVER_ENV,
    DATABASE_FILE: join(dir, 'fuzz.db'),
    // The fuzzer's webhooks point at loopback addresses (a closed port): no DNS, no network.
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_TIMEOUT_SECONDS: '1',
  });
  const logFile = join(dir, 'server.log');
  return {
    baseUrl: server.baseUrl,
    logFile,
    async stop() {
      if (server.child.exitCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
      writeFileSync(logFile, server.output());
    },
  };
}

/** `wrangler dev` (workerd, a local D1 in `dir`). */
export async function startFuzzWorker(dir: string): Promise<FuzzTarget> {
  const worker = await startWranglerDev({ persistTo: dir, vars: FUZZ_SERVER_ENV });
  const logFile = join(dir, 'server.log');
  return {
    baseUrl: worker.baseUrl,
    logFile,
    async stop() {
      await worker.stop();
      writeFileSync(logFile, worker.output());
    },
  };
}
