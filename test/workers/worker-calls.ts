import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { inject } from 'vitest';
import { createWorker } from '../../functions/runtime/worker.js';
import { TEST_ADMIN_KEY } from '../support/keys.js';

/** What the loopback receiver (test/support/webhook-receiver-setup.ts) got on one request. */
export interface ReceivedHook {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The Worker's real entry (functions/runtime/worker.ts) called as the runtime would, with the vars
 * of a deployment that delivers to the receiver on loopback (retries an hour away, so only the
 * pass under test can deliver), as the admin key; and what that receiver got at a path.
 */
export function workerCalls(extraVars: Record<string, string> = {}) {
  const receiverBase = inject('webhookReceiverBase');
  const vars = {
    ...env,
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_RETRY_BASE_SECONDS: '3600',
    ...extraVars,
  };
  const worker = createWorker();
  const headers = { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' };

  /**
   * One request, with the execution context it ran in; `settle`: also wait for what it left to
   * waitUntil (the dispatch pass after a write) before answering.
   */
  async function call(method: string, path: string, body?: unknown, { settle = false } = {}) {
    const ctx = createExecutionContext();
    const request = new Request(`http://chronotrack.test${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const response = await worker.fetch(request, vars, ctx);
    const text = await response.text();
    if (settle) await waitOnExecutionContext(ctx);
    return {
      status: response.status,
      body: (text === '' ? {} : JSON.parse(text)) as Record<string, never>,
      ctx,
    };
  }

  const receivedAt = async (path: string): Promise<ReceivedHook[]> => {
    const all = (await (await fetch(`${receiverBase}/received`)).json()) as ReceivedHook[];
    return all.filter((hook) => hook.path === path);
  };

  return { worker, vars, headers, receiverBase, call, receivedAt };
}
