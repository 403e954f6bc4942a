/**
 * Regenerates openapi/schema.d.ts from the document the app serves (after any wire schema
 * change): `npm run openapi:types`.
 */
import { writeFileSync } from 'node:fs';
import {
  OPENAPI_TYPES_FILE,
  renderOpenApiTypes,
  servedOpenApiDocument,
} from './render-openapi-types.js';

writeFileSync(OPENAPI_TYPES_FILE, await renderOpenApiTypes(await servedOpenApiDocument()));
console.log(`OpenAPI types written to ${OPENAPI_TYPES_FILE}`);
