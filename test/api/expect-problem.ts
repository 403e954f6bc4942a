import { expect } from 'vitest';
import type { ApiResponse } from '../support/client.js';

/** Asserts an RFC 9457 problem response with the given status (and, optionally, code). */
export function expectProblem(res: ApiResponse, status: number, code?: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  // Every problem has a code, and the id of the request it answers (as in the log lines).
  expect(res.body.code).toEqual(expect.stringMatching(/^[A-Z_]+$/));
  if (code) expect(res.body.code).toBe(code);
  expect(res.headers.get('X-Request-Id')).toBeTruthy();
  expect(res.body.requestId).toBe(res.headers.get('X-Request-Id'));
}
