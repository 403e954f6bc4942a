import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { OutputTail } from './output-tail.js';

/**
 * Runs the wrapped command as the user would: stdin is the wrapper's own (inherited, never read
 * by the wrapper), stdout and stderr are written through byte for byte and also kept in the
 * output tail. Signals sent to the wrapper are passed on; a timeout terminates it.
 */

export type ChildResult =
  | { kind: 'exited'; code: number; timedOut: boolean }
  | { kind: 'signalled'; signal: NodeJS.Signals; timedOut: boolean }
  | { kind: 'not-started'; errno: string; message: string };

export interface ChildOptions {
  command: string;
  args: string[];
  tail: OutputTail;
  /** Terminate the command after this long (SIGTERM, then SIGKILL after killAfterMs). */
  timeoutMs: number | undefined;
  killAfterMs: number;
}

export interface RunningChild {
  done: Promise<ChildResult>;
  /** Passes a signal on to the command (its process group when it has its own). */
  signal(signal: NodeJS.Signals): void;
  /**
   * The command is in the terminal's foreground group with the wrapper: a Ctrl-C (SIGINT) or a
   * hang-up (SIGHUP) from the terminal reaches it directly, not only through the wrapper.
   */
  sharesTerminal: boolean;
}

/** After the command exits, how long to wait for its pipes to drain (a daemon it left may hold them). */
const DRAIN_GRACE_MS = 2_000;

export function startChild({
  command,
  args,
  tail,
  timeoutMs,
  killAfterMs,
}: ChildOptions): RunningChild {
  // Without a terminal (cron, systemd, CI) the command gets a process group of its own, so a
  // timeout or a forwarded SIGTERM reaches everything it started (`sh -c 'pg_dump ...'`), as GNU
  // timeout does. With one it stays in the terminal's foreground group: it may read the
  // terminal, and Ctrl-C reaches it from the terminal itself.
  const ownGroup = !hasControllingTerminal();
  let child: ChildProcess;
  try {
    child = spawn(command, args, { stdio: ['inherit', 'pipe', 'pipe'], detached: ownGroup });
  } catch (error) {
    // Arguments spawn() refuses outright (a NUL byte in an argument...).
    const message = (error as Error).message;
    return {
      done: Promise.resolve({ kind: 'not-started', errno: 'EINVAL', message }),
      signal() {},
      sharesTerminal: !ownGroup,
    };
  }

  const send = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      if (ownGroup) process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      child.kill(signal); // the group is gone but the child is not (yet) reaped
    }
  };

  passThrough(child.stdout!, process.stdout, tail);
  passThrough(child.stderr!, process.stderr, tail);

  let timedOut = false;
  let killTimer: NodeJS.Timeout | undefined;
  const timeoutTimer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          send('SIGTERM');
          killTimer = setTimeout(() => send('SIGKILL'), killAfterMs);
        }, timeoutMs);

  const done = new Promise<ChildResult>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      // Only a failure to start ends here: once running, 'exit' reports the end.
      if (child.pid === undefined) {
        clearTimeout(timeoutTimer);
        resolve({ kind: 'not-started', errno: error.code ?? 'UNKNOWN', message: error.message });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      const result: ChildResult = signal
        ? { kind: 'signalled', signal, timedOut }
        : { kind: 'exited', code: code ?? 0, timedOut };
      const grace = setTimeout(() => resolve(result), DRAIN_GRACE_MS);
      child.once('close', () => {
        clearTimeout(grace);
        resolve(result);
      });
    });
  });
  return { done, signal: send, sharesTerminal: !ownGroup };
}

/**
 * Copies the command's stream to ours with back-pressure (a slow reader slows the command, as it
 * would without the wrapper) while keeping the tail. If our side closes (`... | head -1`), the
 * command's pipe is closed too, so it gets EPIPE/SIGPIPE just as it would have.
 */
function passThrough(
  from: NodeJS.ReadableStream & { destroy(): void },
  to: Writable,
  tail: OutputTail,
) {
  from.on('data', (chunk: Buffer) => tail.push(chunk));
  from.pipe(to, { end: false });
  to.on('error', () => {
    from.unpipe(to);
    from.destroy();
  });
}

function hasControllingTerminal(): boolean {
  try {
    closeSync(openSync('/dev/tty', 'r'));
    return true;
  } catch {
    return false;
  }
}
