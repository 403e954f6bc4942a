import { isoTime } from './iso-time.js';

/**
 * Structured logging: one JSON object per line, on every runtime. `Logger` is the one interface;
 * `createJsonLogger` (console, every runtime) and functions/runtime/node-logger.ts's `createNodeLogger`
 * (pino, batched, Node) write the same lines through it.
 */
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose every line also carries `fields` (e.g. the request id). */
  child(fields: LogFields): Logger;
}

export const LOG_LEVELS = ['info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
type Level = Exclude<LogLevel, 'silent'>;
const RANK: Record<LogLevel, number> = { info: 0, warn: 1, error: 2, silent: 3 };

/**
 * Writes JSON lines through `write` (console.log by default) at `level` and above; `silent`
 * drops everything (tests).
 */
export function createJsonLogger(
  options: { write?: (line: string) => void; silent?: boolean; level?: LogLevel } = {},
): Logger {
  const write = options.write ?? ((line: string) => console.log(line));
  const threshold = RANK[options.silent ? 'silent' : (options.level ?? 'info')];
  const withBase = (base: LogFields): Logger => {
    const emit = (level: Level, message: string, fields: LogFields = {}) => {
      if (RANK[level] < threshold) return;
      write(JSON.stringify({ time: isoTime(new Date()), level, msg: message, ...base, ...fields }));
    };
    return {
      info: (message, fields) => emit('info', message, fields),
      warn: (message, fields) => emit('warn', message, fields),
      error: (message, fields) => emit('error', message, fields),
      child: (fields) => withBase({ ...base, ...fields }),
    };
  };
  return withBase({});
}
