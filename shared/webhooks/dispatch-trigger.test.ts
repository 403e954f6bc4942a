import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../logger.js';
import { DispatchTrigger, type DuePass } from './dispatch-trigger.js';

const logger = createJsonLogger({ silent: true });

/** A pass that ends when the test says so, counting how often it was started. */
function heldPasses() {
  const releases: (() => void)[] = [];
  const pass: DuePass & { started: number } = {
    started: 0,
    dispatchIfDue() {
      pass.started++;
      return new Promise<number>((resolve) => releases.push(() => resolve(0)));
    },
  };
  const releaseNext = async () => {
    // Let the trigger reach its await first, then end the oldest pass and let it look again.
    await new Promise((r) => setTimeout(r, 0));
    releases.shift()!();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { pass, releaseNext };
}

describe('DispatchTrigger: one pass in flight, writes during it coalesced', () => {
  it('starts a pass, and joins it while it runs (no promise to keep alive)', async () => {
    const { pass, releaseNext } = heldPasses();
    const trigger = new DispatchTrigger(pass, logger);
    const first = trigger.kick();
    expect(first).toBeInstanceOf(Promise);
    expect(trigger.kick()).toBeNull();
    expect(trigger.kick()).toBeNull();
    expect(pass.started).toBe(1);
    await releaseNext(); // the writes during it ask for exactly one more pass
    expect(pass.started).toBe(2);
    await releaseNext();
    await first;
    expect(pass.started).toBe(2);
    // Idle again: the next write starts a new pass of its own.
    const next = trigger.kick();
    expect(next).toBeInstanceOf(Promise);
    await releaseNext();
    await next;
    expect(pass.started).toBe(3);
  });

  it('ends after 5 passes under steady writes; the next write starts again', async () => {
    const { pass, releaseNext } = heldPasses();
    const trigger = new DispatchTrigger(pass, logger);
    const first = trigger.kick()!;
    for (let i = 0; i < 5; i++) {
      expect(trigger.kick()).toBeNull();
      await releaseNext();
    }
    await first;
    expect(pass.started).toBe(5);
    expect(trigger.kick()).toBeInstanceOf(Promise);
    expect(pass.started).toBe(6);
  });

  it('takes a pass older than staleAfterMs for lost (a cancelled waitUntil) and starts anew', () => {
    const { pass } = heldPasses();
    let now = 0;
    const trigger = new DispatchTrigger(pass, logger, 60_000, () => now);
    expect(trigger.kick()).toBeInstanceOf(Promise);
    now = 59_999;
    expect(trigger.kick()).toBeNull();
    now = 60_000;
    expect(trigger.kick()).toBeInstanceOf(Promise);
    expect(pass.started).toBe(2);
  });

  it('logs a failing pass and resolves, so the next write tries again', async () => {
    const lines: string[] = [];
    const failing: DuePass = {
      dispatchIfDue: () => Promise.reject(new Error('database is locked')),
    };
    const trigger = new DispatchTrigger(
      failing,
      createJsonLogger({ write: (line) => lines.push(line) }),
    );
    await expect(trigger.kick()).resolves.toBeUndefined();
    expect(lines.join('\n')).toMatch(/webhook dispatch after a write failed.*database is locked/);
    expect(trigger.kick()).toBeInstanceOf(Promise);
  });
});
