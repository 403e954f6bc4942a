import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OutputTail } from './output-tail.js';

describe('OutputTail', () => {
  it('keeps everything while under capacity', () => {
    const tail = new OutputTail(16);
    tail.push(Buffer.from('hello '));
    tail.push(Buffer.from('world'));
    expect(tail.text()).toBe('hello world');
  });

  it('keeps exactly the last bytes across wraps, whatever the chunk sizes', () => {
    const data = randomBytes(10_000);
    for (const capacity of [1, 7, 64, 1024]) {
      const tail = new OutputTail(capacity);
      for (let at = 0; at < data.length;) {
        const size = 1 + ((at * 7919) % (capacity * 2 + 3));
        tail.push(data.subarray(at, at + size));
        at += size;
      }
      expect(tail.bytes().equals(data.subarray(data.length - capacity))).toBe(true);
    }
  });

  it('drops a UTF-8 character cut in half at the start instead of showing garbage', () => {
    const tail = new OutputTail(5);
    tail.push(Buffer.from('aé€!')); // a, é (2 bytes), € (3 bytes), !: the cut falls inside é
    expect(tail.bytes()).toHaveLength(5);
    expect(tail.text()).toBe('€!');
  });
});
