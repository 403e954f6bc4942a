import fc from 'fast-check';

/**
 * JSON Schema → fast-check arbitraries, for the subset the served OpenAPI 3.1 document uses
 * (type and type arrays, enum, const, formats date-time/uuid/uri/email, minimum/maximum and the
 * exclusive ones, minLength/maxLength, pattern, items/minItems/maxItems, properties/required,
 * additionalProperties, anyOf/oneOf, $ref into components). `validValue` draws values the schema
 * accepts (mostly: a pattern or a length is not re-checked), `invalidValue` values it refuses
 * (wrong types, boundaries, missing or extra fields), `hostileValue` anything at all.
 */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  example?: unknown;
}

export interface SchemaContext {
  /** The document's `components.schemas`, for `#/components/schemas/<name>`. */
  components: Record<string, JsonSchema>;
  /**
   * Values worth trying for a property or parameter of this name (ids that exist, the other
   * project's id...), mixed in beside the generated ones. Read at generation time.
   */
  hint?: (name: string) => fc.Arbitrary<unknown> | undefined;
}

const MAX_DEPTH = 4;
/** Strings are short unless a boundary is drawn: long ones cost time and find little more. */
const SHORT = 40;

export function resolve(schema: JsonSchema, ctx: SchemaContext): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 10; hops++) {
    const name = current.$ref.replace('#/components/schemas/', '');
    const target = ctx.components[name];
    if (!target) throw new Error(`unresolved $ref ${current.$ref}`);
    const { $ref: _ref, ...rest } = current;
    current = { ...rest, ...target };
  }
  return current;
}

/** `{type: object, oneOf: [A, B]}` → [`{type: object, ...A}`, `{type: object, ...B}`]. */
function branches(schema: JsonSchema, ctx: SchemaContext): JsonSchema[] | undefined {
  const choices = schema.oneOf ?? schema.anyOf;
  if (!choices) return undefined;
  const { oneOf: _o, anyOf: _a, ...rest } = schema;
  return choices.map((choice) => ({ ...rest, ...resolve(choice, ctx) }));
}

const typesOf = (schema: JsonSchema): string[] =>
  schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];

/** An integer in [min, max], the ends and their neighbours drawn often. */
function integerIn(min: number, max: number): fc.Arbitrary<number> {
  const ends = fc.constantFrom(...[min, max, min + 1, max - 1].filter((n) => n >= min && n <= max));
  const body = fc.bigInt(BigInt(min), BigInt(max)).map(Number);
  const small = fc.integer({ min: Math.max(min, -1000), max: Math.min(max, 1000) });
  return min > 1000 || max < -1000
    ? fc.oneof(ends, body)
    : fc.oneof({ arbitrary: small, weight: 3 }, ends, body);
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? Math.max(minLength, SHORT);
  if (schema.format === 'date-time')
    return fc.oneof(
      {
        arbitrary: fc
          .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString()),
        weight: 4,
      },
      // The far ends of what RFC 3339 can say, and offsets a parser may get wrong.
      fc.constantFrom(
        '0000-01-01T00:00:00Z',
        '0001-01-01T00:00:00.000Z',
        '9999-12-31T23:59:59.999Z',
        '1969-12-31T23:59:59Z',
        '2038-01-19T03:14:08Z',
        '2026-02-28T23:59:60Z',
        '2026-06-01T12:00:00+14:00',
        '2026-06-01T12:00:00-12:00',
        '2026-06-01T12:00:00.123456789Z',
      ),
    );
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'uri') return fc.webUrl();
  if (schema.pattern) {
    try {
      return fc
        .stringMatching(new RegExp(schema.pattern))
        .filter((s) => s.length >= minLength && s.length <= maxLength);
    } catch {
      // A pattern fast-check cannot read: plain strings, most of which it will refuse.
    }
  }
  const lengths = { minLength, maxLength: Math.min(maxLength, Math.max(minLength, SHORT)) };
  const text = fc.oneof(
    { arbitrary: fc.string({ ...lengths, unit: 'grapheme-ascii' }), weight: 3 },
    fc.string({ ...lengths, unit: 'grapheme' }),
  );
  return maxLength > SHORT
    ? fc.oneof({ arbitrary: text, weight: 9 }, fc.constant('x'.repeat(maxLength)))
    : text;
}

/** Values the schema accepts; `name` is the property or parameter it is for (see `hint`). */
export function validValue(
  schema: JsonSchema,
  ctx: SchemaContext,
  name?: string,
  depth = 0,
): fc.Arbitrary<unknown> {
  const generated = validOf(resolve(schema, ctx), ctx, depth);
  const extra: fc.Arbitrary<unknown>[] = [];
  const hinted = name !== undefined ? ctx.hint?.(name) : undefined;
  // A hint stands in for the document's example (an example URL would be resolved on every draw).
  if (hinted) extra.push(hinted);
  else if (schema.example !== undefined) extra.push(fc.constant(schema.example));
  if (extra.length === 0) return generated;
  return fc.oneof({ arbitrary: generated, weight: 2 }, ...extra);
}

function validOf(schema: JsonSchema, ctx: SchemaContext, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = branches(schema, ctx);
  if (choices) return fc.oneof(...choices.map((c) => validValue(c, ctx, undefined, depth)));
  const types = typesOf(schema);
  if (types.length > 1)
    return fc.oneof(...types.map((type) => validOf({ ...schema, type }, ctx, depth)));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min =
        schema.exclusiveMinimum !== undefined
          ? Math.floor(schema.exclusiveMinimum) + 1
          : (schema.minimum ?? Number.MIN_SAFE_INTEGER);
      const max =
        schema.exclusiveMaximum !== undefined
          ? Math.ceil(schema.exclusiveMaximum) - 1
          : (schema.maximum ?? Number.MAX_SAFE_INTEGER);
      return integerIn(min, max);
    }
    case 'number':
      return fc.double({
        min: schema.minimum ?? -1e12,
        max: schema.maximum ?? 1e12,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'string':
      return stringArbitrary(schema);
    case 'array':
      return fc.array(
        schema.items ? validValue(schema.items, ctx, undefined, depth + 1) : fc.jsonValue(),
        {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 4, Math.max(schema.minItems ?? 0, 4)),
        },
      );
    case 'object':
      return objectOf(schema, ctx, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectOf(schema: JsonSchema, ctx: SchemaContext, depth: number) {
  const properties = schema.properties ?? {};
  const record = fc.record(
    Object.fromEntries(
      Object.entries(properties).map(([key, property]) => [
        key,
        depth >= MAX_DEPTH ? fc.constant(null) : validValue(property, ctx, key, depth + 1),
      ]),
    ),
    { requiredKeys: (schema.required ?? []).filter((key) => key in properties) },
  );
  if (schema.additionalProperties === false || Object.keys(properties).length > 0) return record;
  // A free-form object (`metadata`): any JSON object, nested a little.
  return fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), {
    maxKeys: 6,
  });
}

/** Anything JSON can say, with the usual suspects drawn often. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -0,
    -1,
    1.5,
    1e308,
    -1e308,
    2 ** 53,
    2 ** 64,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    ' ',
    '0',
    '-1',
    '1e400',
    'null',
    'NaN',
    'Infinity',
    '\u0000',
    '\ud83d\ude00',
    'é\u0301',
    '\u202e',
    '<script>',
    "' OR 1=1 --",
    '../../etc/passwd',
    [],
    {},
    [null],
    { __proto__: null },
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Values the schema refuses: another type, a bound passed by one, a field missing or extra. */
export function invalidValue(
  schema: JsonSchema,
  ctx: SchemaContext,
  depth = 0,
): fc.Arbitrary<unknown> {
  const resolved = resolve(schema, ctx);
  const mutations: fc.Arbitrary<unknown>[] = [hostileValue];
  const types = typesOf(resolved);
  if (!types.includes('null')) mutations.push(fc.constant(null));
  if (!types.includes('array'))
    mutations.push(validValue(resolved, ctx, undefined, MAX_DEPTH).map((v) => [v, v]));
  if (!types.includes('string')) mutations.push(fc.constant('1'), fc.string({ maxLength: 8 }));
  if (!types.includes('object')) mutations.push(fc.constant({ value: 1 }));
  if (resolved.enum)
    mutations.push(fc.constantFrom(...resolved.enum.map((v) => `${String(v).toLowerCase()}x`)));
  if (types.includes('integer') || types.includes('number')) {
    const bounds = [
      resolved.minimum !== undefined ? resolved.minimum - 1 : undefined,
      resolved.maximum !== undefined ? resolved.maximum + 1 : undefined,
      resolved.exclusiveMinimum,
      resolved.exclusiveMaximum,
    ].filter((n): n is number => n !== undefined);
    mutations.push(fc.constantFrom(0.5, -1, 1e21, 2 ** 63, Number.MAX_SAFE_INTEGER + 1, ...bounds));
  }
  if (types.includes('string')) {
    if (resolved.maxLength !== undefined)
      mutations.push(fc.constant('y'.repeat(resolved.maxLength + 1)));
    if (resolved.minLength) mutations.push(fc.constant(''));
    if (resolved.format || resolved.pattern)
      mutations.push(
        fc.constantFrom('2026-13-45T99:00:00Z', 'not-a-uuid', '1 ', ' 1', '０１', '٣'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
      );
    mutations.push(fc.constant(12345));
  }
  if (types.includes('array')) {
    if (resolved.maxItems !== undefined && resolved.items)
      mutations.push(
        fc.array(validValue(resolved.items, ctx, undefined, MAX_DEPTH), {
          minLength: resolved.maxItems + 1,
          maxLength: resolved.maxItems + 1,
        }),
      );
    if (resolved.minItems) mutations.push(fc.constant([]));
    if (resolved.items && depth < MAX_DEPTH)
      mutations.push(
        fc.array(invalidValue(resolved.items, ctx, depth + 1), { minLength: 1, maxLength: 3 }),
      );
  }
  if (types.includes('object') && resolved.properties && depth < MAX_DEPTH) {
    const valid = validOf(resolved, ctx, MAX_DEPTH - 1) as fc.Arbitrary<Record<string, unknown>>;
    const keys = Object.keys(resolved.properties);
    // An unknown field beside valid ones (additionalProperties: false refuses it).
    mutations.push(
      fc
        .tuple(
          valid,
          fc.constantFrom('extra', '__proto__', 'constructor', 'id', 'createdAt'),
          hostileValue,
        )
        .map(([value, key, extra]) => ({ ...value, [key]: extra })),
    );
    // A required field left out.
    if (resolved.required?.length)
      mutations.push(
        fc.tuple(valid, fc.constantFrom(...resolved.required)).map(([value, key]) => {
          const { [key]: _dropped, ...rest } = value;
          return rest;
        }),
      );
    // One field wrong.
    mutations.push(
      fc
        .constantFrom(...keys)
        .chain((key) =>
          fc
            .tuple(valid, invalidValue(resolved.properties![key]!, ctx, depth + 1))
            .map(([value, wrong]) => ({ ...value, [key]: wrong })),
        ),
    );
  }
  const choices = branches(resolved, ctx);
  if (choices && depth < MAX_DEPTH)
    mutations.push(fc.oneof(...choices.map((c) => invalidValue(c, ctx, depth + 1))));
  return fc.oneof(...mutations);
}
