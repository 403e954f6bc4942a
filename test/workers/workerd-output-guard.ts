/**
 * Global setup of the Workers tests: a passing run stays quiet. workerd prints an "uncaught
 * exception" line with a stack trace for a promise a Worker leaves rejected, and for every failed
 * fetch, handled or not (a name that does not resolve, a refused connection). Either is a defect
 * here: a Worker's unhandled rejection, or a test reaching a network the Workers tests' outbound
 * Worker (vitest.config.mts) does not answer. The lines still print; the run then fails, naming
 * them (the exit code is 1). The pool forwards workerd's plain lines to stdout and its errors to stderr: both are
 * watched.
 */
export default function setup() {
  const seen: string[] = [];
  const restore = [process.stdout, process.stderr].map((stream) => {
    const write = stream.write;
    let partial = '';
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      const lines = (partial + String(chunk)).split('\n');
      partial = lines.pop()!;
      for (const line of lines) if (line.startsWith('uncaught exception')) seen.push(line);
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof stream.write;
    return () => (stream.write = write);
  });
  return () => {
    for (const undo of restore) undo();
    if (seen.length === 0) return;
    // A teardown that throws is only logged ("error during close"); the exit code carries it.
    process.exitCode = 1;
    console.error(
      `\nFAIL: workerd printed ${seen.length} "uncaught exception" line(s) during the Workers ` +
        `tests (test/workers/workerd-output-guard.ts):\n` +
        seen.map((line) => line.slice(0, 200)).join('\n'),
    );
  };
}
