import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors.js';
import { isStorageFull, StorageMonitor } from './storage.js';

const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('a full volume, as each driver reports it', () => {
  it('is recognised by SQLite code or message, down the cause chain, and nothing else is', () => {
    const full = sqliteError('SQLITE_FULL', 'database or disk is full');
    expect(isStorageFull(full)).toBe(true);
    expect(isStorageFull(sqliteError('SQLITE_IOERR_WRITE', 'disk I/O error'))).toBe(true);
    expect(isStorageFull(sqliteError('SQLITE_IOERR_SHMSIZE', 'disk I/O error'))).toBe(true);
    // Drizzle wraps the driver's error; D1 passes only the text.
    expect(isStorageFull(new Error('Failed query', { cause: full }))).toBe(true);
    expect(isStorageFull(new Error('D1_ERROR: database or disk is full: SQLITE_FULL'))).toBe(true);
    expect(isStorageFull(sqliteError('SQLITE_BUSY', 'database is locked'))).toBe(false);
    expect(isStorageFull(sqliteError('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed'))).toBe(
      false,
    );
    expect(isStorageFull('database or disk is full')).toBe(false);
  });

  it('the monitor: full at the first refusal, writable again only after a write that changed rows', () => {
    let changes = 10;
    const monitor = new StorageMonitor(() => changes);
    const seen: boolean[] = [];
    monitor.onChange((full) => seen.push(full));
    const other = new Error('bug');
    expect(monitor.failed(other)).toBe(other);
    const refused = monitor.failed(sqliteError('SQLITE_FULL', 'database or disk is full'));
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('STORAGE_FULL');
    monitor.failed(sqliteError('SQLITE_FULL', 'database or disk is full'));
    expect([monitor.full, monitor.refusedWrites, seen]).toEqual([true, 2, [true]]);
    // A commit with nothing in it (a sweep that found nothing) proves no space.
    monitor.committed();
    expect(monitor.full).toBe(true);
    changes++;
    monitor.committed();
    expect([monitor.full, seen]).toEqual([false, [true, false]]);
  });
});
