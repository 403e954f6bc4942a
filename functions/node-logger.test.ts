import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeLogger } from './node-logger.js';

describe('Node logger (pino, asynchronous)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-log-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const fileLogger = async (level: 'info' | 'warn') => {
    const file = join(dir, `${crypto.randomUUID()}.log`);
    const destination = pino.destination({ dest: file, sync: false });
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
    logger.flush();
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
    logger.flush();
    expect(lines()).toEqual([expect.objectContaining({ level: 'error', msg: 'this', code: 'X' })]);
  });
});
