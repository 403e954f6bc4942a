import { z } from 'zod';

/** The admin resource's wire shapes: `/admin/backup` answers a file, not JSON. */

export const BackupFileSchema = z.string().meta({
  id: 'BackupFile',
  format: 'binary',
  description: 'A SQLite 3 database file (`SQLite format 3\\0` header), openable as is.',
});
