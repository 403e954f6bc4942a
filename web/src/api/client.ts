import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from '../../../openapi/schema';

export type Job = components['schemas']['Job'];
export type JobRun = components['schemas']['JobRun'];
export type JobSummary = components['schemas']['JobSummary'];
export type JobSummaryPage = components['schemas']['JobSummaryPage'];
export type JobRunPage = components['schemas']['JobRunPage'];
export type JobStats = components['schemas']['JobStats'];
export type RecentRun = components['schemas']['RecentRun'];
export type RunStatus = JobRun['status'];
/** The sort orders GET /runs accepts. */
export type RunSort = NonNullable<
  NonNullable<paths['/runs']['get']['parameters']['query']>['sort']
>;
export type CurrentKey = components['schemas']['CurrentKey'];
export type ProjectDetail = components['schemas']['ProjectDetail'];
export type Problem = components['schemas']['Problem'];
export type Channel = components['schemas']['Channel'];
export type ChannelType = Channel['type'];
export type ChannelEvent = Channel['events'][number];
export type ChannelDelivery = components['schemas']['ChannelDelivery'];
export type ChannelCreate = NonNullable<
  paths['/channels']['post']['requestBody']
>['content']['application/json'];
export type ChannelUpdate = NonNullable<
  paths['/channels/{id}']['patch']['requestBody']
>['content']['application/json'];

/** A problem+json answer (or a network failure), thrown by every API call that did not succeed. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem>,
  ) {
    super(problem.detail ?? `The server answered ${status}.`);
    this.name = 'ApiError';
  }

  get code(): string | undefined {
    return this.problem.code;
  }
}

/** What every request needs to know about the key, and who to tell when the server refuses it. */
export interface ClientAuth {
  key(): string | null;
  onUnauthorized(reason: string): void;
}

/**
 * The one typed client, generated from /api/openapi.json: a change of the API that breaks the
 * dashboard breaks its type check. The key goes in `Authorization`; a 401 hands the reason to
 * `onUnauthorized`, which returns the user to the key screen.
 */
export function createApiClient(auth: ClientAuth, baseUrl = '/api') {
  const client = createClient<paths>({ baseUrl });
  const middleware: Middleware = {
    onRequest({ request }) {
      const key = auth.key();
      if (key) request.headers.set('Authorization', `Bearer ${key}`);
      return request;
    },
    async onResponse({ response }) {
      if (response.status === 401) {
        const body = (await response
          .clone()
          .json()
          .catch(() => ({}))) as Partial<Problem>;
        auth.onUnauthorized(body.detail ?? 'The server needs an API key.');
      }
      return response;
    },
  };
  client.use(middleware);
  return client;
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The data of a call, or an ApiError with the server's problem document. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || data === undefined) {
    throw new ApiError(response.status, (error ?? {}) as Partial<Problem>);
  }
  return data;
}

/** A call that answers no body (204): nothing, or an ApiError with the server's problem document. */
export async function unwrapEmpty(
  call: Promise<{ error?: unknown; response: Response }>,
): Promise<void> {
  const { error, response } = await call;
  if (error !== undefined || !response.ok)
    throw new ApiError(response.status, (error ?? {}) as Partial<Problem>);
}
