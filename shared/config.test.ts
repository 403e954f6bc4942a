import { describe, expect, it } from 'vitest';
import { AccessConfigSchema, ConfigError, parseConfig, parseWith } from './config.js';

describe('parseConfig', () => {
  it('applies defaults', () => {
    expect(parseConfig({})).toEqual({
      PORT: 3000,
      DATABASE_FILE: './data/chronotrack.db',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      AUTH: true,
      RATE_LIMIT_PER_MINUTE: 1200,
      CORS_ORIGINS: [],
      OTEL_SERVICE_NAME: 'chronotrack',
      OTEL_BSP_SCHEDULE_DELAY: 5000,
      METRICS_PUBLIC: false,
      SWEEP_INTERVAL_SECONDS: 30,
      WEBHOOK_ALLOW_PRIVATE: false,
      WEBHOOK_RETRY_BASE_SECONDS: 30,
      WEBHOOK_RETRY_FOR_SECONDS: 86_400,
      WEBHOOK_TIMEOUT_SECONDS: 10,
      NOTIFY_MIN_INTERVAL_SECONDS: 300,
      WEBHOOK_DISPATCH_INTERVAL_SECONDS: 1,
      HTTP_HEADERS_TIMEOUT_SECONDS: 10,
      HTTP_REQUEST_TIMEOUT_SECONDS: 30,
      HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: 5,
      HTTP_MAX_CONNECTIONS: 1024,
      TRUSTED_PROXIES: [],
      INTEGRITY_CHECK_AT_START: 'quick',
      INTEGRITY_CHECK_MAX_SECONDS: 30,
      RUN_RETENTION_DAYS: 0,
      RUN_RETENTION_MIN_RUNS: 20,
      DELIVERY_RETENTION_DAYS: 30,
    });
  });

  it('reads the integrity check at start: quick, full or off, and how long to wait for it', () => {
    const config = parseConfig({
      INTEGRITY_CHECK_AT_START: 'off',
      INTEGRITY_CHECK_MAX_SECONDS: '0',
    });
    expect(config.INTEGRITY_CHECK_AT_START).toBe('off');
    expect(config.INTEGRITY_CHECK_MAX_SECONDS).toBe(0);
    expect(() => parseConfig({ INTEGRITY_CHECK_AT_START: 'fast' })).toThrow(
      /INTEGRITY_CHECK_AT_START/,
    );
    expect(() => parseConfig({ INTEGRITY_CHECK_MAX_SECONDS: '-1' })).toThrow(
      /INTEGRITY_CHECK_MAX_SECONDS/,
    );
  });

  it('reads the webhook settings, refusing a retry base of 0 and a non-boolean WEBHOOK_ALLOW_PRIVATE', () => {
    const config = parseConfig({
      WEBHOOK_RETRY_BASE_SECONDS: '0.5',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    expect(config.WEBHOOK_RETRY_BASE_SECONDS).toBe(0.5);
    expect(config.WEBHOOK_ALLOW_PRIVATE).toBe(true);
    expect(() => parseConfig({ WEBHOOK_RETRY_BASE_SECONDS: '0' })).toThrow(
      /WEBHOOK_RETRY_BASE_SECONDS/,
    );
    expect(() => parseConfig({ WEBHOOK_ALLOW_PRIVATE: 'maybe' })).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
  });

  it('reads NOTIFY_MIN_INTERVAL_SECONDS (0: every failure is sent), refusing a negative one or over a day', () => {
    expect(parseConfig({ NOTIFY_MIN_INTERVAL_SECONDS: '60' }).NOTIFY_MIN_INTERVAL_SECONDS).toBe(60);
    expect(parseConfig({ NOTIFY_MIN_INTERVAL_SECONDS: '0' }).NOTIFY_MIN_INTERVAL_SECONDS).toBe(0);
    for (const bad of ['-1', '86401', 'soon'])
      expect(() => parseConfig({ NOTIFY_MIN_INTERVAL_SECONDS: bad })).toThrow(
        /NOTIFY_MIN_INTERVAL_SECONDS/,
      );
  });

  it('reads PUBLIC_URL without its trailing slashes, refusing what is no http(s) base', () => {
    expect(parseConfig({}).PUBLIC_URL).toBeUndefined();
    expect(parseConfig({ PUBLIC_URL: 'https://ct.example.com/' }).PUBLIC_URL).toBe(
      'https://ct.example.com',
    );
    expect(parseConfig({ PUBLIC_URL: 'https://example.com/ct//' }).PUBLIC_URL).toBe(
      'https://example.com/ct',
    );
    for (const bad of ['ct.example.com', 'ftp://ct.example.com', 'https://ct.example.com/?a=1'])
      expect(() => parseConfig({ PUBLIC_URL: bad })).toThrow(/PUBLIC_URL/);
  });

  it('reads SMTP_URL (smtp or smtps) with SMTP_FROM, never echoing the password', () => {
    const url = 'smtps://user:hunter2-secret@mail.example.com:465';
    expect(parseConfig({ SMTP_URL: url, SMTP_FROM: 'ct@example.com' }).SMTP_URL).toEqual({
      host: 'mail.example.com',
      port: 465,
      secure: true,
      requireTLS: false,
      auth: { user: 'user', pass: 'hunter2-secret' },
    });
    expect(() => parseConfig({ SMTP_URL: url })).toThrow(/SMTP_FROM/);
    expect(() => parseConfig({ SMTP_URL: url })).not.toThrow(/hunter2/);
    expect(() => parseConfig({ SMTP_URL: 'http://mail.example.com', SMTP_FROM: 'a@b.c' })).toThrow(
      /SMTP_URL/,
    );
    // Workers read the same settings from their vars and secrets.
    expect(() => parseWith(AccessConfigSchema, { SMTP_URL: url })).toThrow(/SMTP_FROM/);
  });

  it('reads SMTP_URL: default ports, a decoded password, requireTLS and nothing else in its query', () => {
    const server = (url: string) =>
      parseConfig({ SMTP_URL: url, SMTP_FROM: 'ct@example.com' }).SMTP_URL;
    expect(server('smtp://mail.example.com')).toEqual({
      host: 'mail.example.com',
      port: 587,
      secure: false,
      requireTLS: false,
      auth: null,
    });
    expect(server('smtps://a%40b:p%2Fss%3Aw@[::1]')).toMatchObject({
      host: '::1',
      port: 465,
      auth: { user: 'a@b', pass: 'p/ss:w' },
    });
    expect(server('smtp://u:p@mail.example.com:2525?requireTLS=true')).toMatchObject({
      port: 2525,
      requireTLS: true,
    });
    expect(server('smtp://mail.example.com?requireTLS=false')?.requireTLS).toBe(false);
    for (const bad of ['?requireTLS=yes', '?requireTls=true', '?tls.rejectUnauthorized=false'])
      expect(() => server(`smtp://u:hunter2-secret@mail.example.com${bad}`)).toThrow(
        /SMTP_URL: .*(unknown option|requireTLS must be true or false)/,
      );
  });

  it('reads SMTP_FROM as an address with an optional display name', () => {
    const from = (value: string) =>
      parseConfig({ SMTP_URL: 'smtp://mail.example.com', SMTP_FROM: value }).SMTP_FROM;
    expect(from('ct@example.com')).toEqual({ name: '', address: 'ct@example.com' });
    expect(from('ChronoTrack <ct@example.com>')).toEqual({
      name: 'ChronoTrack',
      address: 'ct@example.com',
    });
    expect(from('"Ops, Inc." <ct@example.com>')).toEqual({
      name: 'Ops, Inc.',
      address: 'ct@example.com',
    });
    for (const bad of ['chronotrack', 'A <b>', 'a@b.c, d@e.f', 'Evil\r\nBcc: x <a@b.c>'])
      expect(() => from(bad)).toThrow(/SMTP_FROM/);
  });

  it('reads the HTTP limits, refusing a request timeout shorter than the headers one', () => {
    expect(parseConfig({ HTTP_MAX_CONNECTIONS: '50' }).HTTP_MAX_CONNECTIONS).toBe(50);
    expect(() =>
      parseConfig({ HTTP_HEADERS_TIMEOUT_SECONDS: '20', HTTP_REQUEST_TIMEOUT_SECONDS: '10' }),
    ).toThrow(/HTTP_REQUEST_TIMEOUT_SECONDS: must be at least HTTP_HEADERS_TIMEOUT_SECONDS/);
    expect(() => parseConfig({ HTTP_MAX_CONNECTIONS: '0' })).toThrow(/HTTP_MAX_CONNECTIONS/);
  });

  it('reads TRUSTED_PROXIES as IPv4 and IPv6 addresses and CIDRs, refusing anything else', () => {
    const ranges = parseConfig({
      TRUSTED_PROXIES: ' 10.0.0.0/8, 192.0.2.7 ,fd00::/8,::1',
    }).TRUSTED_PROXIES;
    expect(ranges.map(([address, bits]) => `${address.toString()}/${bits}`)).toEqual([
      '10.0.0.0/8',
      '192.0.2.7/32',
      'fd00::/8',
      '::1/128',
    ]);
    for (const bad of [
      '10.0.0.0/33',
      'fd00::/129',
      '127.1',
      'proxy.internal',
      '10.0.0.0/8/8',
      '10.0.0.0/',
    ]) {
      expect(() => parseConfig({ TRUSTED_PROXIES: `192.0.2.7,${bad}` })).toThrow(
        /TRUSTED_PROXIES: must be comma-separated addresses or CIDRs .*entry 2 is not one/,
      );
    }
  });

  it('reads SWEEP_INTERVAL_SECONDS, 0 turning sweeping off', () => {
    expect(parseConfig({ SWEEP_INTERVAL_SECONDS: '1' }).SWEEP_INTERVAL_SECONDS).toBe(1);
    expect(parseConfig({ SWEEP_INTERVAL_SECONDS: '0' }).SWEEP_INTERVAL_SECONDS).toBe(0);
  });

  it('reads METRICS_PUBLIC as a boolean, refusing anything else', () => {
    expect(parseConfig({ METRICS_PUBLIC: 'true' }).METRICS_PUBLIC).toBe(true);
    expect(parseConfig({ METRICS_PUBLIC: 'false' }).METRICS_PUBLIC).toBe(false);
    expect(() => parseConfig({ METRICS_PUBLIC: 'yes please' })).toThrow(/METRICS_PUBLIC/);
  });

  it('reads the tracing settings, tracing off unless an endpoint is set', () => {
    expect(parseConfig({}).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(
      parseConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_SERVICE_NAME: 'chronotrack-eu',
        OTEL_BSP_SCHEDULE_DELAY: '1000',
      }),
    ).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_SERVICE_NAME: 'chronotrack-eu',
      OTEL_BSP_SCHEDULE_DELAY: 1000,
    });
  });

  it('drops log lines below LOG_LEVEL', () => {
    expect(parseConfig({ LOG_LEVEL: 'warn' }).LOG_LEVEL).toBe('warn');
  });

  it('treats empty variables as unset and coerces the port', () => {
    expect(parseConfig({ PORT: '8080', DATABASE_FILE: '', NODE_ENV: 'production' })).toMatchObject({
      PORT: 8080,
      DATABASE_FILE: './data/chronotrack.db',
      NODE_ENV: 'production',
    });
  });

  it('reads the access settings', () => {
    expect(
      parseConfig({
        AUTH: 'off',
        ADMIN_API_KEY: 'k'.repeat(32),
        RATE_LIMIT_PER_MINUTE: '0',
        CORS_ORIGINS: 'https://a.example, https://b.example',
      }),
    ).toMatchObject({
      AUTH: false,
      ADMIN_API_KEY: 'k'.repeat(32),
      RATE_LIMIT_PER_MINUTE: 0,
      CORS_ORIGINS: ['https://a.example', 'https://b.example'],
    });
  });

  it('never repeats a secret in its error message', () => {
    expect(() => parseConfig({ ADMIN_API_KEY: 'secret-but-short' })).toThrowError(
      expect.objectContaining({ message: expect.not.stringContaining('secret-but-short') }),
    );
  });

  it('accepts libSQL URLs and a token', () => {
    for (const url of [
      'file:./data/x.db',
      'libsql://db.example.turso.io',
      'http://127.0.0.1:8080',
      'wss://x',
    ]) {
      expect(parseConfig({ DATABASE_URL: url, DATABASE_AUTH_TOKEN: 't' })).toMatchObject({
        DATABASE_URL: url,
        DATABASE_AUTH_TOKEN: 't',
      });
    }
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
    [{ LOG_LEVEL: 'debug' }, /LOG_LEVEL/],
    [{ DATABASE_URL: 'postgres://db/x' }, /DATABASE_URL/],
    [{ ADMIN_API_KEY: 'too-short' }, /ADMIN_API_KEY: must be at least 32 characters/],
    [{ AUTH: 'maybe' }, /AUTH/],
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, /RATE_LIMIT_PER_MINUTE/],
    [{ CORS_ORIGINS: 'not a url' }, /CORS_ORIGINS/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, /OTEL_EXPORTER_OTLP_ENDPOINT/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' }, /OTEL_EXPORTER_OTLP_ENDPOINT/],
    [{ OTEL_BSP_SCHEDULE_DELAY: 'soon' }, /OTEL_BSP_SCHEDULE_DELAY/],
    [{ SWEEP_INTERVAL_SECONDS: '-1' }, /SWEEP_INTERVAL_SECONDS/],
    [{ SWEEP_INTERVAL_SECONDS: '1.5' }, /SWEEP_INTERVAL_SECONDS/],
    [{ SWEEP_INTERVAL_SECONDS: 'often' }, /SWEEP_INTERVAL_SECONDS/],
  ])('fails fast with the variable named: %o', (env, message) => {
    expect(() => parseConfig(env)).toThrowError(ConfigError);
    expect(() => parseConfig(env)).toThrowError(message);
  });
});
