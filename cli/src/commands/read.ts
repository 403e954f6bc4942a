import { attempt, createApi, type Api, type Outcome } from '../api.js';
import { resolveConnection, type Connection, type ConnectionFlags } from '../config.js';
import { CliError } from '../errors.js';
import { withRetry } from '../retry.js';

/** What the reading commands (jobs ls, runs ls, runs show) share: a client and one way to fail. */
export interface Reader {
  api: Api;
  connection: Connection;
  /** One call, retried briefly when the tracker does not answer; a refusal throws a CliError. */
  read<T>(call: (api: Api, signal: AbortSignal) => Promise<FetchResultLike<T>>): Promise<T>;
}

type FetchResultLike<T> = { data?: T; error?: unknown; response: Response };

/** A reading command gives up after this long: a person is waiting. */
const READ_DEADLINE_MS = 3_000;

export function reader(flags: ConnectionFlags, hint: string): Reader {
  const connection = resolveConnection(flags, process.env, hint);
  const api = createApi(connection);
  return {
    api,
    connection,
    async read<T>(call: (api: Api, signal: AbortSignal) => Promise<FetchResultLike<T>>) {
      const outcome: Outcome<T> = await withRetry(
        (timeoutMs) => attempt((signal) => call(api, signal), timeoutMs),
        { deadline: Date.now() + READ_DEADLINE_MS },
      );
      if (outcome.ok) return outcome.data;
      if (outcome.status === 0) {
        throw new CliError(`cannot reach the tracker at ${connection.apiUrl}: ${outcome.message}`);
      }
      throw new CliError(outcome.message);
    },
  };
}
