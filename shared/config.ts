import { z } from 'zod';
import { LOG_LEVELS } from './logger.js';

/**
 * Process configuration, parsed once at start-up from the environment. An invalid value stops the
 * process with a message naming the variable, instead of failing later inside a request.
 */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_FILE: z.string().min(1).default('./data/chronotrack.db'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** When set, the Node entry uses libSQL instead of the better-sqlite3 file. */
  DATABASE_URL: z
    .string()
    .regex(/^(file|libsql|https?|wss?):/, 'must start with file:, libsql:, http(s): or ws(s):')
    .optional(),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  /** `warn` drops the per-request lines (and other info), e.g. for benchmarks or noisy hosts. */
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  // An empty variable (`PORT=`) means "not set", as most shells and Compose files intend.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = ConfigSchema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}
