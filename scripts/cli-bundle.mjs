// The `chronotrack` CLI (cli/) as one self-contained executable file: openapi-fetch, its only
// dependency, is bundled in, so the file runs anywhere Node 24 does, without node_modules (the
// container links it onto PATH). Called by scripts/build-node.mjs, and by the CLI's bundle test.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

/** Bundles cli/src/main.ts into `outfile` (e.g. dist/cli/chronotrack.js), executable. */
export async function bundleCli(outfile) {
  await build({
    entryPoints: ['cli/src/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: false,
    logLevel: 'warning',
  });
  // esbuild keeps the entry's `#!/usr/bin/env node`; the mode makes the file a command.
  chmodSync(outfile, 0o755);
}
