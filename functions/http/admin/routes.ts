import { createRoute } from '@hono/zod-openapi';
import { createRouter, guardedResponses, requires } from '../openapi.js';
import { BackupFileSchema } from './schemas.js';

const downloadBackup = createRoute({
  operationId: 'downloadBackup',
  ...requires('admin'),
  method: 'get',
  path: '/backup',
  tags: ['admin'],
  summary: 'Download a backup of the database',
  description:
    'A consistent copy of the SQLite database, taken while the server keeps serving and writing (`VACUUM INTO` in a worker thread), checked with `integrity_check` before the first byte is sent: every write acknowledged before the request is in it. The same copy as `chronotrack-admin backup`; for a nightly `curl -fo`. Only where the server holds the database file (Node on SQLite); on Cloudflare D1 or a libSQL server a 501 `BACKUP_NOT_SUPPORTED` names their own tools.',
  responses: {
    200: {
      description:
        'The database file, `Content-Disposition: attachment; filename="chronotrack-<date>.db"`.',
      headers: {
        'Content-Disposition': {
          description: '`attachment; filename="chronotrack-2026-11-25.db"` (the UTC date).',
          schema: { type: 'string' as const },
        },
        'Content-Length': {
          description: 'The size of the file in bytes.',
          schema: { type: 'integer' as const },
        },
      },
      content: { 'application/vnd.sqlite3': { schema: BackupFileSchema } },
    },
    ...guardedResponses(501),
  },
});

/** Operating the server: `/admin/backup`. */
export const adminApi = createRouter().openapi(downloadBackup, async (c) => {
  const snapshot = await c.get('services').backup.snapshot();
  const date = c.get('services').now().toISOString().slice(0, 10);
  // c.body keeps the headers set before the handler (X-Request-Id); the stream is the file itself.
  return c.body(snapshot.body, 200, {
    'Content-Type': 'application/vnd.sqlite3',
    'Content-Length': String(snapshot.bytes),
    'Content-Disposition': `attachment; filename="chronotrack-${date}.db"`,
    'Cache-Control': 'no-store',
  });
});
