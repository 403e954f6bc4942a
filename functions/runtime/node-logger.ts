import pino from 'pino';
import { isoTime } from '../../shared/iso-time.js';
import type { LogFields, Logger, LogLevel } from '../../shared/logger.js';

/** Lines wait until this many bytes are queued, or FLUSH_INTERVAL_MS, whichever comes first. */
const MIN_WRITE_BYTES = 8 * 1024;
const FLUSH_INTERVAL_MS = 100;

/**
 * Standard output (or `dest`) through pino's asynchronous destination, batched: lines are queued until 8 KiB
 * are waiting (about 30 access lines) and then written in one `write`, and a timer writes what is
 * queued every 100 ms, so a quiet server's lines still show within a tenth of a second. Under load
 * one write per line was a visible share of a write request's CPU even to /dev/null
 * (docs/performance.md#hand-tuned-code); the trade is that a
 * `kill -9` loses at most the last 100 ms of lines (never a run: the database is the record).
 */
/** pino's SonicBoom destination: a stream with `flush(callback)`. */
type BatchedDestination = ReturnType<typeof pino.destination>;

export function batchedDestination(dest: number | string = 1): BatchedDestination {
  const destination = pino.destination({ dest, sync: false, minLength: MIN_WRITE_BYTES });
  // Bytes handed to SonicBoom and not yet written. A flush while a write is in flight does
  // nothing, and when that write ends SonicBoom leaves whatever is queued below `minLength`
  // waiting: so the timer flushes again on every tick until nothing is left, rather than once
  // per burst (which left a quiet server's last lines queued until the next request).
  let unwritten = 0;
  destination.on('write', (bytes: number) => {
    unwritten -= bytes;
  });
  // Lines queue here and reach SonicBoom a batch at a time: its own `write` measures the byte
  // length of everything it holds on every call (`Buffer.byteLength` of its last buffer), which
  // with a few KiB queued costs more than pino spends making the line.
  let lines: string[] = [];
  let queuedChars = 0;
  const write = destination.write.bind(destination);
  const handOver = () => {
    if (lines.length === 0) return;
    const batch = lines.join('');
    lines = [];
    queuedChars = 0;
    unwritten += Buffer.byteLength(batch);
    write(batch);
  };
  destination.write = (line: string) => {
    lines.push(line);
    queuedChars += line.length;
    if (queuedChars >= MIN_WRITE_BYTES) handOver();
    return true;
  };
  const flush = destination.flush.bind(destination);
  destination.flush = (callback?: (error?: Error) => void) => {
    handOver();
    flush(callback);
  };
  setInterval(() => {
    handOver();
    if (unwritten > 0) flush();
  }, FLUSH_INTERVAL_MS).unref();
  return destination;
}

/**
 * The Node logger: pino, writing JSON lines to stdout asynchronously (`batchedDestination`). The
 * shared JSON logger writes each line with a synchronous console.log, too dear on a busy server
 * (docs/performance.md#hand-tuned-code). Lines keep the shared logger's shape: `level` as a name, an ISO
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
      // pino's isoTime is `new Date().toISOString()`; shared/iso-time.ts says why not.
      timestamp: () => `,"time":"${isoTime(new Date())}"`,
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
