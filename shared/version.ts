import pkg from '../package.json' with { type: 'json' };

/**
 * ChronoTrack's version: package.json's `version`, the one place it is written. Every bundler in
 * use inlines the JSON (esbuild for the Node server and the CLI, wrangler for the Worker, Vite in
 * the tests), so no runtime reads a file for it. The OpenAPI document's `info.version`, the
 * webhooks' User-Agent and the OpenTelemetry `service.version` read it here; the CLI, which
 * imports nothing from the server, reads package.json the same way (cli/src/version.ts).
 */
export const VERSION: string = pkg.version;
