import fc from 'fast-check';
import {
  hostileValue,
  invalidValue,
  validValue,
  type JsonSchema,
  type SchemaContext,
} from './schema-arbitrary.js';

/** One generated HTTP request, in the terms a failure is reported in (see `toCurl`). */
export interface FuzzRequest {
  /** The operation it was drawn from (`POST /jobs`), for the report. */
  operation: string;
  method: string;
  /** The path with its parameters filled in, before the query string. */
  path: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body?: string;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchema;
}

interface Operation {
  method: string;
  template: string;
  server: string;
  parameters: Parameter[];
  body?: { required?: boolean; mediaType: string; schema: JsonSchema };
  guarded: boolean;
}

/** The parts of the served document the generator reads. */
export interface FuzzDocument {
  servers?: Array<{ url: string }>;
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Parameter[];
        requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
        security?: unknown[];
        servers?: Array<{ url: string }>;
      }
    >
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** Where the fuzzer's key and the fixtures' names come from, read at generation time. */
export interface FuzzInputs {
  /** The API key every guarded request sends, unless the draw leaves it out or spoils it. */
  key(): string;
  /** Values to try for a parameter or property name beside the generated ones (`id`, `uuid`...). */
  hint(name: string): fc.Arbitrary<unknown> | undefined;
}

/** Every operation of the document, with its server prefix (`/api`, or `/` for the pings). */
export function operationsOf(doc: FuzzDocument): Operation[] {
  const root = (doc.servers?.[0]?.url ?? '').replace(/\/$/, '');
  return Object.entries(doc.paths).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const [mediaType, content] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      return {
        method: method.toUpperCase(),
        template,
        server: op.servers ? op.servers[0]!.url.replace(/\/$/, '') : root,
        parameters: op.parameters ?? [],
        body:
          mediaType && content
            ? { required: op.requestBody!.required, mediaType, schema: content.schema }
            : undefined,
        guarded: (op.security ?? [{}]).length > 0,
      };
    }),
  );
}

/** A path segment or query value as text (objects as JSON: what a careless client sends). */
const asText = (value: unknown) =>
  typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);

/** encodeURIComponent, but a lone surrogate (which it refuses) goes out as its raw escape. */
const encode = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return text.replace(/[\ud800-\udfff]/g, '%ED%A0%80');
  }
};

const weighted = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: invalid, weight: 1 });

/** The request arbitrary of one operation: valid and invalid parameters, bodies and headers. */
/**
 * The request arbitrary of one operation. `wellFormed`: every part drawn valid (the key, the
 * parameters, few query parameters, the body), so the draw gets past validation to the handler;
 * otherwise any part may be wrong.
 */
function requestFor(
  op: Operation,
  ctx: SchemaContext,
  inputs: FuzzInputs,
  wellFormed: boolean,
): fc.Arbitrary<FuzzRequest> {
  const value = (schema: JsonSchema, name: string) =>
    wellFormed
      ? validValue(schema, ctx, name)
      : weighted(validValue(schema, ctx, name), invalidValue(schema, ctx));
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header');

  const path = fc
    .record(Object.fromEntries(pathParams.map((p) => [p.name, value(p.schema, p.name)])))
    .map((values) =>
      op.template.replace(/\{([^}]+)\}/g, (_, name: string) => encode(asText(values[name]))),
    );

  const query = fc
    .tuple(
      fc.record(
        Object.fromEntries(
          queryParams.map((p) => [
            p.name,
            // Each parameter now and then: a list with all nine is rarely all valid.
            fc.option(value(p.schema, p.name), { freq: 3, nil: undefined }),
          ]),
        ),
      ),
      // Now and then a parameter the operation does not have.
      wellFormed
        ? fc.constant(null)
        : fc.option(fc.tuple(fc.constantFrom('extra', 'limit', 'id', '__proto__'), hostileValue), {
            freq: 4,
          }),
    )
    .map(([values, extra]) => {
      const pairs: Array<[string, string]> = [];
      for (const [name, v] of Object.entries(values)) {
        if (v === undefined) continue;
        // An array is the parameter repeated (`status=A&status=B`), as the server reads it.
        if (Array.isArray(v)) for (const item of v) pairs.push([name, asText(item)]);
        else pairs.push([name, asText(v)]);
      }
      if (extra) pairs.push([extra[0], asText(extra[1])]);
      return pairs;
    });

  const auth = wellFormed
    ? fc.constant(op.guarded ? ('key' as const) : ('none' as const))
    : op.guarded
      ? fc.oneof(
          { arbitrary: fc.constant('key' as const), weight: 12 },
          fc.constantFrom('none' as const, 'garbage' as const, 'x-api-key' as const),
        )
      : fc.constantFrom('none' as const, 'key' as const);

  const headers = fc
    .tuple(
      auth,
      fc.record(Object.fromEntries(headerParams.map((p) => [p.name, value(p.schema, p.name)])), {
        requiredKeys: [],
      }),
      fc.oneof(
        { arbitrary: fc.constant<string | undefined>(undefined), weight: wellFormed ? 1000 : 4 },
        fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=utf-16',
          'multipart/form-data; boundary=x',
          '',
        ),
      ),
    )
    .map(([how, extra, contentType]) => {
      const h: Record<string, string> = {};
      if (how === 'key') h.Authorization = `Bearer ${inputs.key()}`;
      if (how === 'x-api-key') h['X-Api-Key'] = inputs.key();
      if (how === 'garbage') h.Authorization = 'Bearer ct_not_a_real_key_00000000000000000000';
      for (const [name, v] of Object.entries(extra))
        h[name] = asText(v).replace(/[^\x20-\x7e]/g, '?');
      if (contentType !== undefined) h['Content-Type'] = contentType;
      return h;
    });

  const body = bodyFor(op, ctx, wellFormed);

  return fc.record({ path, query, headers, body }).map(({ path, query, headers, body }) => {
    const request: FuzzRequest = {
      operation: `${op.method} ${op.template}`,
      method: op.method,
      path: `${op.server}${path}`,
      query,
      headers: { ...headers },
    };
    if (body !== undefined && op.method !== 'GET' && op.method !== 'HEAD') {
      request.body = body;
      request.headers['Content-Type'] ??= op.body?.mediaType ?? 'application/json';
    } else delete request.headers['Content-Type'];
    return request;
  });
}

/** A few bodies over every limit (64 KiB, 512 KiB for a run's PATCH, 100000 bytes for a ping). */
const OVERSIZED = fc
  .constantFrom(65 * 1024, 520 * 1024, 100_001)
  .map((size) => JSON.stringify({ name: 'x'.repeat(size) }));

const MALFORMED = fc.constantFrom(
  '{',
  '{"name":',
  '[',
  'nul',
  '{"a":1}{"b":2}',
  '\ufeff{"name":"bom"}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `${'{"a":'.repeat(200)}1${'}'.repeat(200)}`,
  '"just a string"',
  '123',
  'null',
);

function bodyFor(
  op: Operation,
  ctx: SchemaContext,
  wellFormed: boolean,
): fc.Arbitrary<string | undefined> {
  const none = fc.constant(undefined);
  if (wellFormed) {
    if (op.body?.mediaType === 'application/json')
      return validValue(op.body.schema, ctx).map((v) => JSON.stringify(v));
    if (op.body) return fc.option(fc.string({ maxLength: 200 }), { nil: undefined });
    return none;
  }
  if (!op.body) {
    // A body where none is expected, now and then.
    return fc.oneof(
      { arbitrary: none, weight: 9 },
      hostileValue.map((v) => JSON.stringify(v)),
    );
  }
  if (op.body.mediaType !== 'application/json') {
    return fc.oneof(
      { arbitrary: none, weight: 3 },
      { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 3 },
      fc.constant('x'.repeat(100_001)),
    );
  }
  const schema = op.body.schema;
  return fc.oneof(
    { arbitrary: validValue(schema, ctx).map((v) => JSON.stringify(v)), weight: 10 },
    { arbitrary: invalidValue(schema, ctx).map((v) => JSON.stringify(v)), weight: 6 },
    { arbitrary: hostileValue.map((v) => JSON.stringify(v)), weight: 1 },
    { arbitrary: MALFORMED, weight: 1 },
    { arbitrary: OVERSIZED, weight: 1 },
    { arbitrary: none, weight: op.body.required ? 1 : 3 },
  );
}

/** Requests for every operation of the document, plus now and then one with another method. */
export function requestArbitrary(doc: FuzzDocument, inputs: FuzzInputs): fc.Arbitrary<FuzzRequest> {
  const ctx: SchemaContext = {
    components: doc.components?.schemas ?? {},
    hint: (name) => inputs.hint(name),
  };
  const perOperation = operationsOf(doc).map((op) =>
    fc.oneof(requestFor(op, ctx, inputs, true), requestFor(op, ctx, inputs, false)),
  );
  const request = fc.oneof(...perOperation);
  return fc.oneof(
    { arbitrary: request, weight: 19 },
    fc
      .tuple(request, fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'))
      .map(([r, method]) => ({
        ...r,
        operation: `${r.operation} as ${method}`,
        method,
        ...(method === 'GET' || method === 'HEAD' ? { body: undefined } : {}),
      })),
  );
}

/** The request as a query-stringed URL path. */
export function urlOf(request: FuzzRequest): string {
  const qs = request.query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
  return qs ? `${request.path}?${qs}` : request.path;
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A curl command that sends the same request (a long body is written to a file first). */
export function toCurl(request: FuzzRequest, baseUrl: string): string {
  const parts = ['curl', '-i', '-X', request.method, shellQuote(`${baseUrl}${urlOf(request)}`)];
  for (const [name, v] of Object.entries(request.headers))
    parts.push('-H', shellQuote(`${name}: ${v}`));
  if (request.body !== undefined) {
    if (request.body.length > 2000) {
      // A long body is mostly one character repeated: a short script writes it to a file.
      const expression = request.body
        .split(/((.)\2{99,})/su)
        .filter((_, i) => i % 3 !== 2)
        .map((part) =>
          /^(.)\1{99,}$/su.test(part)
            ? `${JSON.stringify(part[0])}.repeat(${part.length})`
            : JSON.stringify(part),
        )
        .join('+');
      return [
        `node -e ${shellQuote(`process.stdout.write(${expression})`)} > body.txt`,
        [...parts, '--data-binary', '@body.txt'].join(' '),
      ].join('\n');
    }
    parts.push('--data-binary', shellQuote(request.body));
  }
  return parts.join(' ');
}
