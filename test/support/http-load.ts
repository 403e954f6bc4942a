import { TEST_ADMIN_KEY } from './keys.js';

/** One HTTP answer: the status, the raw text (to search for leaked errors) and the parsed JSON. */
export interface Answer {
  status: number;
  text: string;
  body: any;
}

/**
 * A client of one running server that counts its requests in flight, so a test can tell how many
 * were sent and not yet answered at a given moment (e.g. the instant of a `kill -9`).
 */
export class LoadClient {
  inFlight = 0;

  constructor(
    readonly baseUrl: string,
    private readonly key = TEST_ADMIN_KEY,
  ) {}

  /** The answer, or rejects when no complete answer arrived (connection refused or reset). */
  async request(method: string, path: string, body?: unknown): Promise<Answer> {
    this.inFlight++;
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.key}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // Not JSON: the test sees `text`, which is what it searches anyway.
      }
      return { status: res.status, text, body: parsed };
    } finally {
      this.inFlight--;
    }
  }

  post = (path: string, body: unknown = {}) => this.request('POST', path, body);
  patch = (path: string, body: unknown) => this.request('PATCH', path, body);
  get = (path: string) => this.request('GET', path);
}

/** The environment of a Node entry serving `file` with the test admin key and no rate limit. */
export const serverEnv = (file: string): Record<string, string> => ({
  DATABASE_FILE: file,
  ADMIN_API_KEY: TEST_ADMIN_KEY,
  // The load of these tests is far over the default quota; the limiter is not what they test.
  RATE_LIMIT_PER_MINUTE: '0',
  NODE_ENV: 'production',
});

/** Runs `count` copies of `worker` concurrently and waits for all of them. */
export const concurrently = (count: number, worker: (index: number) => Promise<void>) =>
  Promise.all(Array.from({ length: count }, (_, index) => worker(index)));
