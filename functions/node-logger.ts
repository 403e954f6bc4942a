import pino from 'pino';
import type { LogFields, Logger, LogLevel } from '../shared/logger.js';

/** Lines wait until this many bytes are queued, or FLUSH_INTERVAL_MS, whichever comes first. */
const MIN_WRITE_BYTES = 8 * 1024;
const FLUSH_INTERVAL_MS = 100;

/**
 * Standard output (or `dest`) through pino's asynchronous destination, batched: lines are queued until 8 KiB
 * are waiting (about 30 access lines) and then written in one `write`, and a timer writes what is
 * queued every 100 ms, so a quiet server's lines still show within a tenth of a second. Under load
 * one write per line cost ~7% of a write request's CPU even to /dev/null; the trade is that a
 * `kill -9` loses at most the last 100 ms of lines (never a run: the database is the record).
 */
/** pino's SonicBoom destination: a stream with `flush(callback)`. */
type BatchedDestination = ReturnType<typeof pino.destination>;

export function batchedDestination(dest: number | string = 1): BatchedDestination {
  const destination = pino.destination({ dest, sync: false, minLength: MIN_WRITE_BYTES });
  // Bytes handed to the destination and not yet written. A flush while a write is in flight does
  // nothing, and when that write ends SonicBoom leaves whatever is queued below `minLength`
  // waiting: so the timer flushes again on every tick until nothing is left, rather than once
  // per burst (which left a quiet server's last lines queued until the next request).
  let unwritten = 0;
  const write = destination.write.bind(destination);
  destination.write = (line: string) => {
    unwritten += Buffer.byteLength(line);
    return write(line);
  };
  destination.on('write', (bytes: number) => {
    unwritten -= bytes;
  });
  setInterval(() => {
    if (unwritten > 0) destination.flush();
  }, FLUSH_INTERVAL_MS).unref();
  return destination;
}

/**
 * The Node logger: pino, writing JSON lines to stdout asynchronously (`batchedDestination`). The
 * shared JSON logger writes each line with a synchronous console.log, which cost 10-13% of the
 * server's CPU under load. Lines keep the shared logger's shape: `level` as a name, an ISO
 * `time`, `msg`, and the fields. `flush()` resolves once what is queued is written (the entry
 * awaits it before the process exits).
 */
export function createNodeLogger(
  level: LogLevel,
  destination: BatchedDestination = batchedDestination(),
): Logger & { flush(): Promise<void> } {
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
    // Once every queued line and any write in flight have reached the destination, in order (a
    // synchronous flush while a write is in flight could put the last lines before it).
    flush: () => new Promise<void>((resolve) => destination.flush(() => resolve())),
  };
}
