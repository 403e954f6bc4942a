import type { TestProject } from 'vitest/node';
import { shapeProblem } from './channel-shapes.js';
import { startReceiver } from './webhook-receiver.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The loopback receiver's base URL (http://127.0.0.1:port), for the Workers tests. */
    webhookReceiverBase: string;
  }
}

/**
 * Global setup of the Workers tests: a real receiver on loopback in the Node process, which
 * workerd reaches over TCP as a deployed Worker reaches a receiver (Miniflare lets it call
 * private addresses). Tests inside workerd read what it got from `GET /received`; a channel's
 * requests (paths /channel/<type>/...) are checked against the service's documented shape.
 */
export default async function setup(project: TestProject) {
  // Requests under /channel/<type>/ are held to that service's documented shape (400 if not).
  const receiver = await startReceiver({
    check: (hook) => {
      const [, prefix, type] = hook.path.split('/');
      return prefix === 'channel' && type ? shapeProblem(type, hook) : null;
    },
  });
  project.provide('webhookReceiverBase', new URL(receiver.url).origin);
  return () => receiver.close();
}
