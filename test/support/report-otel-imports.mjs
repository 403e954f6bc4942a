// Preloaded (node --import) by tracing.e2e.test.ts: writes one line to stderr for every
// @opentelemetry module the process loads, so a test can show that none is loaded.
import { registerHooks } from 'node:module';

const seen = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    const match = /\/node_modules\/(@opentelemetry\/[^/]+)\//.exec(result.url);
    if (match && !seen.has(match[1])) {
      seen.add(match[1]);
      process.stderr.write(`opentelemetry module loaded: ${match[1]}\n`);
    }
    return result;
  },
});
