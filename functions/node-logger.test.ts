import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
});
