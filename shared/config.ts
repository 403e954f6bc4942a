import { z } from 'zod';
import { LOG_LEVELS } from './logger.js';
import {
  parseMailAddress,
  parseSmtpUrl,
  smtpUrlQueryProblem,
  type MailAddress,
  type SmtpServer,
} from './channels/smtp.js';
import { parseTrustedRange } from './trusted-proxies.js';

/**
 * Process configuration, parsed once at start-up from the environment. An invalid value stops the
 * process with a message naming the variable, instead of failing later inside a request.
 */
const OnOff = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((v) => v === 'on' || v === 'true' || v === '1');

/**
 * What every runtime reads (Node from the environment, Workers from vars and secrets): access
 * control, limits, logging and the mail transport.
 */
const AccessFields = z.object({
  /** `off` turns authentication off, for a trusted network only; never the default. */
  AUTH: OnOff.default(true),
  /** Accepted as an admin key (a secret on Workers). Compared by hash like every key. */
  ADMIN_API_KEY: z
    .string()
    .min(32, 'must be at least 32 characters (generate one: openssl rand -base64 32)')
    .max(512)
    .optional(),
  /** Per key (or client address) per minute; 0 turns rate limiting off. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(1200),
  /** Origins that may call the API from a browser, comma-separated; none by default. */
  CORS_ORIGINS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ message: 'must be a comma-separated list of origins (https://host)' })))
    .default([]),
  /** `warn` drops the per-request lines (and other info), e.g. for benchmarks or noisy hosts. */
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** `true` lets anyone read GET /metrics without a key (a scrape network you trust). */
  METRICS_PUBLIC: OnOff.default(false),
  /** `true` lets webhooks reach loopback, private and link-local addresses (tests, a LAN). */
  WEBHOOK_ALLOW_PRIVATE: OnOff.default(false),
  /** The first retry's delay of a failed webhook delivery; each next one doubles (+ jitter). */
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().min(0.01).max(3600).default(30),
  /** How long after its event a delivery is retried before it fails and disables its webhook. */
  WEBHOOK_RETRY_FOR_SECONDS: z.coerce
    .number()
    .min(1)
    .max(7 * 86_400)
    .default(86_400),
  /** One delivery attempt's time limit. */
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(60).default(10),
  /**
   * Per notification channel and job, at most one run.failed message this often; the failures
   * held back in between are counted in the next one. Health changes are always sent.
   */
  NOTIFY_MIN_INTERVAL_SECONDS: z.coerce.number().min(0).max(86_400).default(300),
  /**
   * Days a finished run is kept before the sweeps delete it; 0 keeps every run. A project's own
   * `retentionDays` overrides it (docs/deployment.md#retention).
   */
  RUN_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
  /** However old, each job keeps at least its newest this many runs, so a monthly job keeps its history. */
  RUN_RETENTION_MIN_RUNS: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /**
   * Days webhook and channel events are kept, with their deliveries and attempts (the
   * deliveries log); longer than any delivery is retried (WEBHOOK_RETRY_FOR_SECONDS, 7 days at most).
   */
  DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(8).max(3650).default(30),
  /**
   * Where people reach this server (`https://chronotrack.example.com`, a path prefix allowed):
   * the base of the dashboard links in channel messages and of the API's `pingUrl`. Unset: no
   * links, and `pingUrl` stays relative (a guessed localhost link would mislead).
   */
  PUBLIC_URL: z
    .url({
      protocol: /^https?$/,
      message: 'must be an http(s) URL (https://chronotrack.example.com)',
    })
    .refine((url) => !/[?#]/.test(url), 'must have no query or fragment')
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  /**
   * Email channels' SMTP server, on Node and on Workers (a secret there):
   * `smtp://user:pass@host:587` (STARTTLS when the server offers it; `?requireTLS=true`: only
   * with it) or `smtps://user:pass@host:465`. Unset: creating an email channel is a 422. Its
   * password is a secret: never logged, never in a response.
   */
  SMTP_URL: z
    .url({
      protocol: /^smtps?$/,
      hostname: /./,
      message: 'must be an smtp:// or smtps:// URL (smtp://user:pass@host:587)',
    })
    .superRefine((url, ctx) => {
      const problem = smtpUrlQueryProblem(url);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform((url): SmtpServer => parseSmtpUrl(url))
    .optional(),
  /** The From of every email (`ChronoTrack <chronotrack@example.com>`); required with SMTP_URL. */
  SMTP_FROM: z
    .string()
    .trim()
    .max(320)
    .transform((value, ctx): MailAddress => {
      const parsed = parseMailAddress(value);
      if (parsed) return parsed;
      ctx.addIssue({
        code: 'custom',
        message:
          'must be an address (chronotrack@example.com or ChronoTrack <chronotrack@example.com>)',
      });
      return z.NEVER;
    })
    .optional(),
});

/** An SMTP server is of no use without a From: both runtimes refuse one alone. */
const hasFromWithSmtp = (config: { SMTP_URL?: SmtpServer; SMTP_FROM?: MailAddress }) =>
  !config.SMTP_URL || config.SMTP_FROM !== undefined;
const FROM_MISSING = {
  path: ['SMTP_FROM'],
  message: 'must be set with SMTP_URL (the From of every email: chronotrack@example.com)',
};

export const AccessConfigSchema = AccessFields.refine(hasFromWithSmtp, FROM_MISSING);

/** The mail transports' settings, from a parsed configuration; null: no SMTP_URL, no mail. */
export const mailSettings = (config: AccessConfig) =>
  config.SMTP_URL && config.SMTP_FROM
    ? {
        server: config.SMTP_URL,
        from: config.SMTP_FROM,
        timeoutSeconds: config.WEBHOOK_TIMEOUT_SECONDS,
      }
    : null;

export type MailSettings = NonNullable<ReturnType<typeof mailSettings>>;

/** The notification channels' settings, from a parsed configuration. */
export const channelSettings = (config: AccessConfig) => ({
  notifyMinIntervalSeconds: config.NOTIFY_MIN_INTERVAL_SECONDS,
  publicUrl: config.PUBLIC_URL ?? null,
});

/** What the sweeps delete (shared/services/retention.ts), from a parsed configuration. */
export const retentionSettings = (config: AccessConfig) => ({
  runDays: config.RUN_RETENTION_DAYS,
  minRuns: config.RUN_RETENTION_MIN_RUNS,
  deliveryDays: config.DELIVERY_RETENTION_DAYS,
});

/** The webhook dispatcher's settings, from a parsed configuration. */
export const webhookSettings = (config: AccessConfig) => ({
  allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
  retryBaseSeconds: config.WEBHOOK_RETRY_BASE_SECONDS,
  retryForSeconds: config.WEBHOOK_RETRY_FOR_SECONDS,
  timeoutSeconds: config.WEBHOOK_TIMEOUT_SECONDS,
});

export type AccessConfig = z.infer<typeof AccessConfigSchema>;

export const ConfigSchema = AccessFields.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_FILE: z.string().min(1).default('./data/chronotrack.db'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** When set, the Node entry uses libSQL instead of the better-sqlite3 file. */
  DATABASE_URL: z
    .string()
    .regex(/^(file|libsql|https?|wss?):/, 'must start with file:, libsql:, http(s): or ws(s):')
    .optional(),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  /**
   * Seconds between two sweeps of lost runs (Node; Workers sweep on the Cron Trigger of
   * wrangler.toml); 0 turns sweeping off in this process.
   */
  SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(30),
  /** Seconds between two passes of the webhook dispatcher in this process (Node); 0: none. */
  WEBHOOK_DISPATCH_INTERVAL_SECONDS: z.coerce.number().min(0).max(3600).default(1),
  /**
   * Node's HTTP server limits (docs/security.md): a client has this long to send its headers, and
   * a connection that sends nothing for this long is closed.
   */
  HTTP_HEADERS_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  /** The whole request, body included, must arrive within this (408 otherwise). */
  HTTP_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** An idle keep-alive connection is closed after this; above a proxy's, below its idle timeout. */
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  /** Open connections at most; one more is closed as it arrives. */
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(1024),
  /**
   * Reverse proxies (addresses or CIDRs, comma-separated) whose `X-Forwarded-For` and
   * `Forwarded` headers name the client (shared/trusted-proxies.ts): the rate limit's bucket
   * of a caller without a key. Empty: the socket's peer is the client, headers are ignored.
   */
  TRUSTED_PROXIES: z
    .string()
    .transform((value, ctx) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean)
        .map((entry, index) => {
          const range = parseTrustedRange(entry);
          if (range) return range;
          ctx.addIssue({
            code: 'custom',
            message: `must be comma-separated addresses or CIDRs (10.0.0.0/8, fd00::/8, 192.0.2.7); entry ${index + 1} is not one`,
          });
          return z.NEVER;
        }),
    )
    .default([]),
  /**
   * The check of the SQLite file before the server serves it (docs/deployment.md#integrity-at-start):
   * `quick` (quick_check: every page and row, not index against table), `full`
   * (integrity_check) or `off`. A damaged file is refused; DATABASE_URL (libSQL) is never checked.
   */
  INTEGRITY_CHECK_AT_START: z.enum(['quick', 'full', 'off']).default('quick'),
  /**
   * How long the start waits for that check: past it the server serves, the check goes on and
   * logs its verdict (a huge file on a slow disk). 0: wait for it however long it takes.
   */
  INTEGRITY_CHECK_MAX_SECONDS: z.coerce.number().min(0).max(86_400).default(30),
  /** Where the first start writes its admin key (0600), when no key exists yet. */
  FIRST_KEY_FILE: z.string().min(1).optional(),
  /**
   * OpenTelemetry tracing (Node): the OTLP/HTTP collector's base URL; spans go to
   * `<endpoint>/v1/traces`. Unset: tracing is off and no OpenTelemetry code is loaded.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL (http://collector:4318)' })
    .optional(),
  /** The `service.name` of every span. */
  OTEL_SERVICE_NAME: z.string().min(1).max(256).default('chronotrack'),
  /** Milliseconds between two batch exports of finished spans (the SDK's standard variable). */
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(0).max(3_600_000).default(5000),
})
  .refine((config) => config.HTTP_REQUEST_TIMEOUT_SECONDS >= config.HTTP_HEADERS_TIMEOUT_SECONDS, {
    path: ['HTTP_REQUEST_TIMEOUT_SECONDS'],
    message: 'must be at least HTTP_HEADERS_TIMEOUT_SECONDS (the headers are part of the request)',
  })
  .refine(hasFromWithSmtp, FROM_MISSING);

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses `env` with `schema`; an invalid value is a ConfigError naming the variable. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  env: Record<string, unknown>,
): z.infer<S> {
  // An empty variable (`PORT=`) means "not set", as most shells and Compose files intend.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => typeof value === 'string' && value !== ''),
  );
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  // Messages name the variable, never its value: ADMIN_API_KEY must not reach a log.
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  return parseWith(ConfigSchema, env);
}
