/**
 * Writes the OpenAPI document the app serves at /api/openapi.json to a file (default
 * dist/openapi.json), for the linter and for client generation. No database file needed.
 *   tsx scripts/export-openapi.ts [out-file]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { servedOpenApiDocument } from './render-openapi-types.js';

const out = process.argv[2] ?? 'dist/openapi.json';
const doc = await servedOpenApiDocument();
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
console.log(`OpenAPI document written to ${out}`);
