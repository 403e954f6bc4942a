import { OpenAPIHono } from '@hono/zod-openapi';
import type { z } from 'zod';
import { ProblemSchema } from '../shared/schemas.js';
import type { AppEnv } from './env.js';
import { validationProblem } from './problem.js';

const PROBLEM_DESCRIPTIONS = {
  400: 'Invalid input: malformed JSON, wrong types, unknown fields, bad id, limit or cursor.',
  404: 'The job or run does not exist.',
  409: 'The change conflicts with the current state (archived job, forbidden transition, concurrent update).',
  413: 'The request body exceeds 64 KiB.',
  415: 'The request body is not JSON.',
  500: 'Unexpected error; details are in the server log under the request id.',
} as const;

type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;

/** Response entries for the problem+json errors a route can answer with. */
export function problemResponses<S extends ProblemStatus>(...statuses: S[]) {
  const responses = {} as Record<
    S,
    {
      description: string;
      content: { 'application/problem+json': { schema: typeof ProblemSchema } };
    }
  >;
  for (const status of [...statuses, 500 as S]) {
    responses[status] = {
      description: PROBLEM_DESCRIPTIONS[status],
      content: { 'application/problem+json': { schema: ProblemSchema } },
    };
  }
  return responses;
}

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({
  required,
  content: { 'application/json': { schema } },
});

/** A sub-app whose validation failures all look the same: 400 problem+json with `errors`. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const where =
        result.target === 'json'
          ? 'request body'
          : result.target === 'query'
            ? 'query string'
            : 'path';
      const errors = result.error.issues.map((issue) => ({
        path: issue.path.length > 0 ? issue.path.join('.') : '(root)',
        message: issue.message,
      }));
      return validationProblem(c, `Invalid ${where}.`, errors);
    },
  });
}
