import { describe, expect, it } from 'vitest';
import { createJsonLogger } from './logger.js';

describe('createJsonLogger', () => {
  it('writes one JSON object per line, at the level and above', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line), level: 'warn' });
    logger.info('dropped');
    logger.warn('kept', { jobId: 1 });
    logger.error('kept too');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { time: expect.any(String), level: 'warn', msg: 'kept', jobId: 1 },
      { time: expect.any(String), level: 'error', msg: 'kept too' },
    ]);
  });

  it('is silent when asked', () => {
    const lines: string[] = [];
    createJsonLogger({ write: (line) => lines.push(line), silent: true }).error('x');
    expect(lines).toEqual([]);
  });

  it('children add their fields to every line, and the call site can still add its own', () => {
    const lines: string[] = [];
    const root = createJsonLogger({ write: (line) => lines.push(line) });
    const child = root.child({ requestId: 'r-1' });
    child.info('job created', { jobId: 7 });
    child.child({ keyId: 3 }).warn('nested');
    root.info('plain');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { time: expect.any(String), level: 'info', msg: 'job created', requestId: 'r-1', jobId: 7 },
      { time: expect.any(String), level: 'warn', msg: 'nested', requestId: 'r-1', keyId: 3 },
      { time: expect.any(String), level: 'info', msg: 'plain' },
    ]);
  });
});
