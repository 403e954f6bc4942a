import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { batchedDestination, createNodeLogger } from './node-logger.js';

describe('Node logger (pino, asynchronous)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-log-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const fileLogger = async (level: 'info' | 'warn') => {
    const file = join(dir, `${crypto.randomUUID()}.log`);
    const destination = batchedDestination(file);
    await once(destination, 'ready');
    const logger = createNodeLogger(level, destination);
    const lines = () =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { logger, lines };
  };

  it('writes one JSON line per call, in the shared shape, with child fields on every line', async () => {
    const { logger, lines } = await fileLogger('info');
    const request = logger.child({ requestId: 'r-1' });
    request.info('request', { method: 'POST', status: 201, key: 3 });
    logger.warn('careful');
    await logger.flush();
    const [first, second] = lines();
    expect(first).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      requestId: 'r-1',
      method: 'POST',
      status: 201,
      key: 3,
      msg: 'request',
    });
    expect(second).toMatchObject({ level: 'warn', msg: 'careful' });
    expect(second).not.toHaveProperty('requestId');
  });

  it('drops lines below its level', async () => {
    const { logger, lines } = await fileLogger('warn');
    logger.info('not this');
    logger.error('this', { code: 'X' });
    await logger.flush();
    expect(lines()).toEqual([expect.objectContaining({ level: 'error', msg: 'this', code: 'X' })]);
  });

  it('batches lines, yet writes a lone line within the flush interval without a flush()', async () => {
    const file = join(dir, `${crypto.randomUUID()}.log`);
    const destination = batchedDestination(file);
    await once(destination, 'ready');
    const logger = createNodeLogger('info', destination);
    const read = () => readFileSync(file, 'utf8');
    logger.info('alone', { requestId: 'r-2' });
    // Queued, not written: one line is far below the batch size.
    expect(read()).toBe('');
    const deadline = Date.now() + 5_000;
    while (read() === '' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(read())).toMatchObject({ msg: 'alone', requestId: 'r-2' });

    // A burst past the batch size is written without waiting for the timer.
    for (let i = 0; i < 200; i++) logger.info('burst', { i });
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 10));
    expect(read().split('\n').filter(Boolean).length).toBeGreaterThan(1);
    await logger.flush();
    expect(read().trim().split('\n')).toHaveLength(201);
  });

  it('writes lines queued while a write was in flight, without another line after them', async () => {
    // A FIFO that nobody reads yet: the first write (past the pipe's 64 KiB) stays in flight
    // until a reader comes, long enough for the timer to tick during it.
    const fifo = join(dir, `${crypto.randomUUID()}.fifo`);
    execFileSync('mkfifo', [fifo]);
    const holder = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const destination = batchedDestination(fifo);
    await once(destination, 'ready');
    const logger = createNodeLogger('info', destination);
    for (let i = 0; i < 100; i++) logger.info('burst', { i, pad: 'x'.repeat(1_000) });
    await new Promise((r) => setTimeout(r, 250));
    logger.info('last line of a quiet server');
    await new Promise((r) => setTimeout(r, 250));
    // Now read: the write in flight ends, and the last line must follow within the interval.
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    reader.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    closeSync(holder);
    const deadline = Date.now() + 2_000;
    while (!text.includes('last line') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    reader.kill();
    expect(text).toContain('last line of a quiet server');
  });
});
