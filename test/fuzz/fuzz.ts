import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { ErrorCode } from '../../shared/errors.js';
import { TransportCode } from '../../functions/http/problem.js';
import { createContractChecker } from '../support/contract.js';
import {
  adminApi,
  createProject,
  createProjectKey,
  snapshot,
  type ProjectFixture,
} from './fixtures.js';
import {
  operationsOf,
  requestArbitrary,
  toCurl,
  urlOf,
  type FuzzDocument,
  type FuzzRequest,
} from './requests.js';

/**
 * Generated fuzzing from the served OpenAPI document (issue 25, item 6): requests drawn for every
 * operation, valid and not, sent over real HTTP to a started server, each held to four rules:
 *   1. no 5xx;
 *   2. a 4xx is `application/problem+json` with a `code` the server defines (ErrorCode +
 *      TransportCode), unless the document gives the operation's status another media type
 *      (the pings answer text/plain);
 *   3. every status and body the document covers matches it (test/support/contract.ts);
 *   4. nothing the requests do changes project B, while they are sent with project A's key.
 */
export interface FuzzOptions {
  baseUrl: string;
  /** The server's ADMIN_API_KEY: sets the two projects up and reads B before and after. */
  adminKey: string;
  runs: number;
  seed?: number;
  /**
   * `project` (the default): every request with a write key bound to project A, and project B
   * checked unchanged at the end. `admin`: with the admin key, to reach the admin-only routes
   * (keys, projects); it may change anything, so B is not checked.
   */
  as?: 'project' | 'admin';
  /** Where progress goes (the script prints it; the tests keep quiet). */
  log?: (line: string) => void;
}

export interface FuzzReport {
  runs: number;
  seed: number;
  statuses: Record<string, number>;
  /** Operations whose drawn requests got a 2xx at least once. */
  succeeded: Set<string>;
  operations: number;
  /** The operations no drawn request got a 2xx from (behind a 403 for the project's key...). */
  neverSucceeded: string[];
  ms: number;
}

/** Every code a problem may carry, from the code that defines them. */
export const PROBLEM_CODES: ReadonlySet<string> = new Set([
  ...Object.values(ErrorCode),
  ...Object.values(TransportCode),
]);

class FuzzFailure extends Error {}

function fail(message: string): never {
  throw new FuzzFailure(message);
}

async function send(baseUrl: string, request: FuzzRequest) {
  const response = await fetch(`${baseUrl}${urlOf(request)}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('Content-Type'), text };
}

export async function fuzzServer(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const { baseUrl } = options;
  const log = options.log ?? (() => {});
  const seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff);
  const admin = adminApi(baseUrl, options.adminKey);
  const doc = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as FuzzDocument;
  const checker = createContractChecker(doc as Parameters<typeof createContractChecker>[0]);

  const suffix = `${seed}-${Date.now() % 100000}`;
  let a: ProjectFixture = await createProject(admin, `fuzz-a-${suffix}`);
  const b = await createProject(admin, `fuzz-b-${suffix}`);
  let key = await createProjectKey(admin, a.id);
  const before = await snapshot(admin, b.id);

  // What a request may name: A's and B's rows (B's must answer 404 or change nothing), random ones.
  const ids = () =>
    [a, b].flatMap((p) => [
      p.id,
      ...p.jobs.map((j) => j.id),
      ...p.runIds,
      ...p.webhookIds,
      ...p.channelIds,
    ]);
  const pick = <T>(values: () => T[]) => fc.nat().map((i) => values()[i % values().length]!);
  const idText = pick(() => ids().map(String));
  const jobKeys = pick(() => [...a.jobs, ...b.jobs].map((j) => j.key));
  const pingUuids = pick(() => [...a.jobs.map((j) => j.pingUuid), crypto.randomUUID()]);
  const pingKeys = pick(() => [a.pingKey, 'not-a-ping-key']);
  const urls = fc.constantFrom(
    'http://127.0.0.1:9/hook',
    'http://[::1]:9/hook?a=b#c',
    'https://user:secret@127.0.0.1:9/',
    'http://0x7f000001:9/',
    'ftp://127.0.0.1/',
    'javascript:alert(1)',
    'http://169.254.169.254/latest/meta-data/',
    '//127.0.0.1:9/',
  );
  const hints: Record<string, fc.Arbitrary<unknown>> = {
    id: idText,
    runId: pick(() => [...a.runIds, ...b.runIds].map(String)),
    jobId: fc.oneof(idText, pick(ids)),
    projectId: fc.oneof(
      pick(() => [String(a.id), String(b.id)]),
      pick(() => [a.id, b.id]),
    ),
    jobIds: fc.array(pick(ids), { minLength: 1, maxLength: 3 }),
    key: jobKeys,
    jobKey: jobKeys,
    uuid: pingUuids,
    pingKey: pingKeys,
    uuidOrPingKey: fc.oneof(pingUuids, pingKeys),
    exitStatusOrJobKey: fc.oneof(jobKeys, fc.integer({ min: 0, max: 300 }).map(String)),
    confirm: pick(() => [a.name, b.name]),
    // Addresses, not names: a name is resolved when a webhook is made, and this sandbox's DNS
    // takes seconds to fail. The server allows private addresses (FUZZ_SERVER_ENV); port 9 refuses.
    url: urls,
    webhookUrl: urls,
    // Few keys, so they repeat: the same key with another request is a 422.
    'Idempotency-Key': fc.constantFrom('k1', 'k2', 'k3'),
    health: fc.constantFrom('ok', 'late', 'down', 'late,down', 'paused', '', ',', 'OK'),
    schedule: fc.constantFrom(
      '* * * * *',
      '0 0 31 2 *',
      '0 0 29 2 *',
      '59 23 31 12 *',
      '*/1 * * * * *',
      '0 3 * * 7',
      '@yearly',
      '@reboot',
      'every 1s',
      'every 0m',
      'every 9999d',
      'every 99999999999999999999d',
      '60 * * * *',
      '0 0 L * *',
      '0 2 * * *',
    ),
    timezone: fc.constantFrom(
      'UTC',
      'Etc/GMT+12',
      'Etc/GMT-14',
      'Pacific/Kiritimati',
      'America/St_Johns',
      'Asia/Kathmandu',
      'Europe/London',
      'Australia/Lord_Howe',
      'Mars/Olympus',
      'utc',
      '+05:30',
    ),
  };
  // Rows the fuzzer's own requests made in A: later draws name them too.
  const made = { jobs: [] as number[], runs: [] as number[] };
  hints.id = fc.oneof(
    idText,
    pick(() => (made.jobs.length ? made.jobs.map(String) : ['1'])),
  );
  hints.runId = fc.oneof(
    hints.runId!,
    pick(() => (made.runs.length ? made.runs.map(String) : ['1'])),
  );
  const arbitrary = requestArbitrary(doc, {
    key: () => (options.as === 'admin' ? options.adminKey : key.secret),
    hint: (name) => hints[name],
  });

  const statuses: Record<string, number> = {};
  const succeeded = new Set<string>();
  const writes: string[] = [];
  let count = 0;

  /** A's key revoked or expired, or A deleted, by a drawn request: a new A and key. */
  async function recover(request: FuzzRequest, status: number) {
    if (status >= 300 || request.method === 'GET') return;
    if (!/^\/api\/(keys|projects)\b/.test(request.path)) return;
    const me = await fetch(`${baseUrl}/api/me`, {
      headers: { Authorization: `Bearer ${key.secret}` },
    });
    const project = await admin('GET', `/api/projects/${a.id}`);
    if (project.status !== 200) a = await createProject(admin, `fuzz-a-${suffix}-${count}`);
    if (me.status !== 200 || project.status !== 200) key = await createProjectKey(admin, a.id);
  }

  const property = fc.asyncProperty(arbitrary, async (request) => {
    const sentAt = Date.now();
    const response = await send(baseUrl, request);
    if (Date.now() - sentAt > 1000)
      log(
        `slow (${Date.now() - sentAt} ms): ${request.method} ${urlOf(request).slice(0, 120)} body ${request.body?.length ?? 0} B → ${response.status}`,
      );
    count++;
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    const where = `${request.method} ${urlOf(request).slice(0, 200)} → ${response.status}`;
    if (response.status >= 500) fail(`${where}: a server error\n${response.text.slice(0, 1000)}`);
    const mediaType = (response.contentType ?? '').split(';')[0]!.trim();
    const isJson = /json/.test(mediaType) && response.text !== '';
    let body: unknown = response.text;
    if (isJson) {
      try {
        body = JSON.parse(response.text);
      } catch {
        fail(`${where}: ${mediaType} that is not JSON: ${response.text.slice(0, 300)}`);
      }
    }
    let documented = false;
    try {
      documented = checker.check(
        request.method,
        urlOf(request),
        response.status,
        response.contentType,
        request.method === 'HEAD' ? '' : body,
      );
    } catch (error) {
      fail((error as Error).message);
    }
    if (response.status >= 400 && request.method !== 'HEAD') {
      const problem = mediaType === 'application/problem+json';
      // Only an operation of the document may answer a 4xx in another media type (the pings).
      if (!problem && !documented)
        fail(
          `${where}: a ${response.status} that is not application/problem+json (${mediaType || 'none'}): ${response.text.slice(0, 300)}`,
        );
      if (problem) {
        const p = body as { code?: unknown; status?: unknown };
        if (typeof p.code !== 'string' || !PROBLEM_CODES.has(p.code))
          fail(`${where}: problem code ${JSON.stringify(p.code)} is not one the server defines`);
        if (p.status !== response.status)
          fail(`${where}: problem status ${String(p.status)} is not the response's`);
      }
    }
    if (response.status < 300) {
      if (!request.operation.includes(' as ')) succeeded.add(request.operation);
      if (response.status === 201 && body && typeof body === 'object' && 'id' in body) {
        const row = body as { id: number; pingUuid?: string; jobId?: number };
        if (row.pingUuid) made.jobs.push(row.id);
        else if (row.jobId !== undefined) made.runs.push(row.id);
        for (const list of [made.jobs, made.runs]) if (list.length > 50) list.shift();
      }
      if (request.method !== 'GET' && request.method !== 'HEAD')
        writes.push(toCurl(request, baseUrl));
    }
    await recover(request, response.status);
    if (count % 1000 === 0)
      log(`${count} requests, ${Math.round((Date.now() - started) / 1000)} s`);
  });

  const result = await fc.check(property, { numRuns: options.runs, seed, endOnFailure: false });
  if (result.failed) {
    const [request] = result.counterexample ?? [];
    const error = result.errorInstance;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      [
        `fuzzing failed after ${result.numRuns} runs (seed ${result.seed}, path "${result.counterexample ? result.counterexamplePath : ''}", shrunk ${result.numShrinks} times):`,
        reason,
        '',
        `The request (${request?.operation ?? '?'}), shrunk:`,
        request ? toCurl(request, baseUrl) : '(none)',
        '',
        `Again: npm run fuzz -- --runs ${options.runs} --seed=${result.seed} --as ${options.as ?? 'project'}`,
      ].join('\n'),
    );
  }

  const after = options.as === 'admin' ? before : await snapshot(admin, b.id);
  if (!isDeepStrictEqual(before, after)) {
    throw new Error(
      [
        `project B changed while project A's key was fuzzing (seed ${seed}):`,
        `before: ${JSON.stringify(before).slice(0, 3000)}`,
        `after:  ${JSON.stringify(after).slice(0, 3000)}`,
        `the ${writes.length} writes that succeeded, last first:`,
        ...writes.slice(-20).reverse(),
      ].join('\n'),
    );
  }
  return {
    runs: count,
    seed,
    statuses,
    succeeded,
    operations: operationsOf(doc).length,
    neverSucceeded: operationsOf(doc)
      .map((op) => `${op.method} ${op.template}`)
      .filter((name) => !succeeded.has(name)),
    ms: Date.now() - started,
  };
}
