/** Structured logging: one JSON object per line, on every runtime (console exists everywhere). */
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

type Level = 'info' | 'warn' | 'error';

/** Writes JSON lines through `write` (console.log by default); `silent` drops everything (tests). */
export function createJsonLogger(
  options: { write?: (line: string) => void; silent?: boolean } = {},
): Logger {
  const write = options.write ?? ((line: string) => console.log(line));
  const emit = (level: Level, message: string, fields: LogFields = {}) => {
    if (options.silent) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields }));
  };
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}
