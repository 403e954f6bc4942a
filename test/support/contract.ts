import { Validator, type Schema } from '@cfworker/json-schema';

/**
 * Checks real responses against the served OpenAPI document: the status must be documented for
 * the operation, and the body must match that response's schema. Uses @cfworker/json-schema
 * (no eval), so it runs in workerd as well as on Node.
 */
interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
        servers?: Array<{ url: string }>;
      }
    >
  >;
  components?: { schemas?: Record<string, Schema> };
  servers?: Array<{ url: string }>;
}

export interface ContractChecker {
  /** Throws when the response does not match the document; returns false when no operation applies. */
  check(
    method: string,
    url: string,
    status: number,
    contentType: string | null,
    body: unknown,
  ): boolean;
  checked: number;
}

export function createContractChecker(doc: OpenApiDocument): ContractChecker {
  // Paths in the document are relative to its server (`/api`), or to an operation's own (the
  // pings: `/`). A concrete segment beats a template (`/ping/{uuid}/start` before
  // `/ping/{a}/{b}`), as in the router, so the fewest templates are tried first.
  const serverOf = (servers: Array<{ url: string }> | undefined) =>
    (servers?.[0]?.url ?? doc.servers?.[0]?.url ?? '/').replace(/\/$/, '');
  const operations = Object.entries(doc.paths)
    .flatMap(([template, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method,
        operation,
        templates: template.match(/\{[^}]+\}/g)?.length ?? 0,
        pattern: new RegExp(
          `^${serverOf(operation.servers)}${template.replace(/\{[^}]+\}/g, '[^/]+')}$`,
        ),
      })),
    )
    .sort((a, b) => a.templates - b.templates);
  const validators = new Map<Schema, Validator>();
  const validatorFor = (schema: Schema) => {
    let validator = validators.get(schema);
    if (!validator) {
      // The component schemas ride along at the root so `#/components/schemas/...` refs resolve.
      validator = new Validator(
        { ...schema, components: doc.components } as Schema,
        '2020-12',
        false,
      );
      validators.set(schema, validator);
    }
    return validator;
  };

  const checker: ContractChecker = {
    checked: 0,
    check(method, url, status, contentType, body) {
      const path = new URL(url, 'http://contract.test').pathname;
      const operation = operations.find(
        (op) => op.method === method.toLowerCase() && op.pattern.test(path),
      )?.operation;
      if (!operation) return false; // unknown route or method: nothing in the document to hold it to
      const where = `${method} ${path} → ${status}`;
      const response = operation.responses[String(status)] ?? operation.responses.default;
      if (!response)
        throw new Error(`${where}: status ${status} is not documented for this operation`);
      if (!response.content) return true;
      const mediaType = (contentType ?? '').split(';')[0]!.trim();
      const content = response.content[mediaType];
      if (!content)
        throw new Error(
          `${where}: content type ${mediaType || '(none)'} is not documented (${Object.keys(response.content).join(', ')})`,
        );
      const result = validatorFor(content.schema).validate(body);
      if (!result.valid) {
        const errors = result.errors.map((e) => `${e.instanceLocation} ${e.error}`).slice(0, 5);
        throw new Error(
          `${where}: body does not match the documented schema:\n  ${errors.join('\n  ')}\n  body: ${JSON.stringify(body).slice(0, 500)}`,
        );
      }
      checker.checked++;
      return true;
    },
  };
  return checker;
}
