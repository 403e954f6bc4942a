import { drivers } from '#api-drivers';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { ApiTarget } from '../support/client.js';
import { createContractChecker, type ContractChecker } from '../support/contract.js';
import type { ApiHarness } from './driver.js';

export type { ApiHarness } from './driver.js';

/**
 * Runs an API test file's tests once per driver of the vitest project it runs in: better-sqlite3
 * and libSQL in `node`, D1 through the Worker's entry in `workers` (`#api-drivers`, mapped per
 * project in vitest.config.mts). Each driver gets a database of its own, and every response the
 * tests receive is held to the OpenAPI document the app serves.
 */
export function describeOnEveryDriver(tests: (getHarness: () => ApiHarness) => void) {
  for (const driver of drivers) {
    describe(driver.name, () => {
      let opened: Awaited<ReturnType<typeof driver.open>> | undefined;
      let checker: ContractChecker;
      let harness: ApiHarness;
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
        const database = await driver.open();
        opened = database;
        const doc = await database.target.fetch('/api/openapi.json');
        checker = createContractChecker(
          (await doc.json()) as Parameters<typeof createContractChecker>[0],
        );
        harness = {
          target: checking(database.target),
          stores: database.stores,
          appWith: (overrides) => checking(database.appWith(overrides)),
        };
      });

      afterAll(async () => {
        try {
          // Guards the guard: if nothing was checked, the wrapper above is not in the path.
          expect(checker.checked).toBeGreaterThan(0);
        } finally {
          await opened?.close();
        }
      });

      tests(() => harness);
    });
  }
}
