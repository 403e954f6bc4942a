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
});
