import { lookup } from 'node:dns/promises';
import type { Resolver } from '../../shared/webhooks/url-guard.js';

/**
 * Node's resolver for the webhook SSRF guard: every address the name resolves to (A and AAAA,
 * as the system resolver gives them), so a name pointing at a private address is refused.
 */
export const nodeWebhookResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);
