import pino, { type DestinationStream } from 'pino';
import type { LogFields, Logger, LogLevel } from '../shared/logger.js';

/**
 * The Node logger: pino, writing JSON lines to stdout asynchronously. The shared JSON logger
 * writes each line with a synchronous console.log, which cost 10-13% of the server's CPU under
 * load; pino's destination queues lines while a write is in flight and writes them together.
 * Lines keep the shared logger's shape: `level` as a name, an ISO `time`, `msg`, and the fields.
 * `flush()` writes what is queued, synchronously (before the process exits).
 */
export function createNodeLogger(
  level: LogLevel,
  destination: DestinationStream & { flushSync?: () => void } = pino.destination({
    dest: 1,
    sync: false,
  }),
): Logger & { flush(): void } {
  const root = pino(
    {
      level,
      base: undefined,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  const wrap = (logger: pino.Logger): Logger => ({
    info: (message, fields?: LogFields) => logger.info(fields ?? {}, message),
    warn: (message, fields?: LogFields) => logger.warn(fields ?? {}, message),
    error: (message, fields?: LogFields) => logger.error(fields ?? {}, message),
    child: (fields) => wrap(logger.child(fields)),
  });
  return {
    ...wrap(root),
    flush: () => destination.flushSync?.(),
  };
}
