// Copies db/migrations beside the compiled db/ modules, where db/migrations-dir.ts looks for them.
import { cpSync, rmSync } from 'node:fs';

rmSync('dist/db/migrations', { recursive: true, force: true });
cpSync('db/migrations', 'dist/db/migrations', { recursive: true });
