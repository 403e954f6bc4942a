import { Validator, type Schema } from '@cfworker/json-schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inMemoryApp } from '../../test/support/apps.js';
import {
  operationsOf,
  requestArbitrary,
  toCurl,
  type FuzzDocument,
} from '../../test/fuzz/requests.js';
import { validValue, type JsonSchema } from '../../test/fuzz/schema-arbitrary.js';

/**
 * The generator of the generated fuzzing (test/fuzz/): what it calls valid, the document accepts;
 * and it draws requests for every operation of the served document.
 */
describe('JSON Schema arbitraries from the served OpenAPI document', async () => {
  const doc = (await (await inMemoryApp().request('/api/openapi.json')).json()) as FuzzDocument;
  const components = doc.components?.schemas ?? {};
  const ctx = { components };
  const validatorOf = (schema: JsonSchema) =>
    new Validator({ ...schema, components: doc.components } as Schema, '2020-12', false);

  const bodies = operationsOf(doc).flatMap((op) =>
    op.body?.mediaType === 'application/json'
      ? [[`${op.method} ${op.template}`, op.body.schema] as const]
      : [],
  );

  it.each(bodies)('draws bodies of %s that its schema accepts', (_, schema) => {
    const validator = validatorOf(schema);
    const values = fc.sample(validValue(schema, ctx), { numRuns: 200, seed: 42 });
    const refused = values.filter((value) => !validator.validate(value).valid);
    // A grapheme counts as one character to fast-check and as several code points to the schema.
    expect(refused.length, JSON.stringify(refused.slice(0, 3))).toBeLessThanOrEqual(
      values.length / 10,
    );
  });

  it('draws requests for every operation, as curl commands that quote what they send', () => {
    const requests = fc.sample(
      requestArbitrary(doc, { key: () => 'ct_key', hint: () => undefined }),
      { numRuns: 3000, seed: 7 },
    );
    const drawn = new Set(requests.map((r) => r.operation).filter((o) => !o.includes(' as ')));
    expect(drawn.size).toBe(operationsOf(doc).length);
    const curl = toCurl(
      {
        operation: 'POST /jobs',
        method: 'POST',
        path: '/api/jobs',
        query: [['q', "it's"]],
        headers: {},
        body: `{"name":"${'x'.repeat(3000)}"}`,
      },
      'http://127.0.0.1:3000',
    );
    expect(curl).toBe(
      [
        `node -e 'process.stdout.write("{\\"name\\":\\""+"x".repeat(3000)+"\\"}")' > body.txt`,
        `curl -i -X POST 'http://127.0.0.1:3000/api/jobs?q=it'\\''s' --data-binary @body.txt`,
      ].join('\n'),
    );
  });
});
