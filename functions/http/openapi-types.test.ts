import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  OPENAPI_TYPES_FILE,
  renderOpenApiTypes,
  servedOpenApiDocument,
} from '../../scripts/render-openapi-types.js';

/**
 * The dashboard, the CLI and the tests share one generated type module; this fails when it no
 * longer matches the document the app serves, so an API change must regenerate it
 * (`npm run openapi:types`), and one that breaks a client then fails that client's type check.
 */
describe(OPENAPI_TYPES_FILE, () => {
  it('is generated from the document the app serves today', async () => {
    expect(
      readFileSync(OPENAPI_TYPES_FILE, 'utf8'),
      'the OpenAPI document changed: run `npm run openapi:types`',
    ).toBe(await renderOpenApiTypes(await servedOpenApiDocument()));
  });
});
