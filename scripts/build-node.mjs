// `npm run build` (the Node part): bundles the Node entries (the server, the keys and admin commands)
// with esbuild into dist/functions/, and copies the migrations beside them, where
// db/migrations-dir.ts looks for them from the bundle. The `chronotrack` CLI (cli/) becomes one
// self-contained executable file, dist/cli/chronotrack.js, the package's `bin`
// (scripts/cli-bundle.mjs).
//
// Why a bundle rather than tsc's one module per file: on Node 24, loading drizzle-orm's few
// hundred ES modules grows the heap to ~150 MB while they link (Node 20: ~5 MB), and V8 keeps the
// pages: the server idled at ~270 MB RSS. One bundled module links at once: ~95 MB. tsc still
// type-checks (`npm run typecheck`); esbuild only strips types.
//
// Left outside the bundle: better-sqlite3 and @libsql/client load native code, pino starts worker
// threads from files of its own, swagger-ui-dist is read from disk for /api/docs.
//
// functions/runtime/node-tracing.ts (OpenTelemetry) is an entry of its own, left outside node.js: the
// server imports it only when OTEL_EXPORTER_OTLP_ENDPOINT is set, so with tracing off not one
// byte of the SDK is loaded, parsed or held in memory.
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';
import { bundleCli } from './cli-bundle.mjs';

const OUT = 'dist/functions';

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: [
    'functions/runtime/node.ts',
    'functions/runtime/keys-command.ts',
    'functions/runtime/admin-command.ts',
    'functions/runtime/node-tracing.ts',
  ],
  outdir: OUT,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  sourcemap: 'linked',
  // Names stay readable in profiles and stack traces.
  minify: false,
  external: ['./node-tracing.js', 'better-sqlite3', '@libsql/client', 'pino', 'swagger-ui-dist'],
  // Bundled CommonJS dependencies may call require(): give the ES module one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
cpSync('db/migrations', `${OUT}/migrations`, { recursive: true });

rmSync('dist/cli', { recursive: true, force: true });
await bundleCli('dist/cli/chronotrack.js');
