import { sql, type SQL } from 'drizzle-orm';

/**
 * Names a query parameter. A prepared query gets a placeholder (the value is recorded for this
 * execution); a one-off query gets the value inline. Values are passed as the driver stores them
 * (milliseconds, JSON text), since neither form goes through a column's encoder.
 */
export type Bind = (name: string, value: unknown) => SQL;

const MAX_SHAPES = 256;

/**
 * Prepared Drizzle queries keyed by shape. Building the SQL text of a query costs more than
 * running it on SQLite (a third of Drizzle's time on the hot routes, by profile), and the text of
 * a query only depends on which parameters it has, not on their values. So a query is built and
 * prepared once per shape (the bound parameter names plus whatever else changes the text, like
 * the sort), and every later request only fills in values.
 */
export class PreparedQueries {
  private readonly byShape = new Map<string, unknown>();

  /** A `Bind` that records values for a prepared execution, and the values it recorded. */
  static bindings(): { bind: Bind; values: Record<string, unknown> } {
    const values: Record<string, unknown> = {};
    const bind: Bind = (name, value) => {
      values[name] = value;
      return sql`${sql.placeholder(name)}`;
    };
    return { bind, values };
  }

  /**
   * A placeholder named `name`, for building a query inside `get`'s `prepare` only (it serves as a
   * `Bind`, ignoring the value: the values go to the execution). The hot
   * statements gather their values in a plain object and build their SQL only on the first call
   * of a shape, since building the expression tree (`sql`, `and`, `eq`) on every request cost a
   * visible share of a `POST` even with the statement prepared (docs/performance.md#hand-tuned-code).
   */
  static readonly placeholder = (name: string): SQL => sql`${sql.placeholder(name)}`;

  /** The query prepared for `shape` (with `values`' names), preparing it the first time. */
  get<P>(shape: string, values: Record<string, unknown>, prepare: () => P): P {
    const key = `${shape}|${Object.keys(values).join(',')}`;
    let prepared = this.byShape.get(key) as P | undefined;
    if (prepared === undefined) {
      prepared = prepare();
      // The shapes are a small finite set; the cap only guards against a bug that made them not so.
      if (this.byShape.size < MAX_SHAPES) this.byShape.set(key, prepared);
    }
    return prepared;
  }
}
