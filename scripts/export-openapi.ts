/**
 * Writes the OpenAPI document the app serves at /openapi.json to a file (default
 * dist/openapi.json), for the linter and for client generation. No database needed.
 *   tsx scripts/export-openapi.ts [out-file]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { inMemoryApp } from '../functions/test-support/apps.js';

const out = process.argv[2] ?? 'dist/openapi.json';
const app = inMemoryApp();
const response = await app.request('/api/openapi.json');
if (response.status !== 200) throw new Error(`/api/openapi.json answered ${response.status}`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(await response.json(), null, 2)}\n`);
console.log(`OpenAPI document written to ${out}`);
