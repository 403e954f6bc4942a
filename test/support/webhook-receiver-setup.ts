import type { TestProject } from 'vitest/node';
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
 * private addresses). Tests inside workerd read what it got from `GET /received`.
 */
export default async function setup(project: TestProject) {
  const receiver = await startReceiver();
  project.provide('webhookReceiverBase', new URL(receiver.url).origin);
  return () => receiver.close();
}
