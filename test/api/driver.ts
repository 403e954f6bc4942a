import type { Stores } from '../../shared/services/index.js';
import type { ApiTarget } from '../support/client.js';
import type { TestOverrides } from '../support/runtime.js';

/** What an API test file is handed: the app under test and the database behind it. */
export interface ApiHarness {
  /** The app under test (on Workers the Worker's own entry). */
  target: ApiTarget;
  /** The stores over the same database. */
  stores: () => Stores;
  /** Another app over the same database, with some dependencies replaced (a clock, a store). */
  appWith: (overrides: TestOverrides) => ApiTarget;
}

/** One database driver (and runtime) the API tests run on. */
export interface ApiDriver {
  /** The title of the block its tests run in: which runtime, which driver, which database. */
  name: string;
  /** Opens the app over a database of its own; `close` releases it after the file's tests. */
  open(): Promise<ApiHarness & { close(): Promise<void> }>;
}
