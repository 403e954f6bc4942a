import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.js';

describe('parseConfig', () => {
  it('applies defaults', () => {
    expect(parseConfig({})).toEqual({
      PORT: 3000,
      DATABASE_FILE: './data/chronotrack.db',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
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
  ])('fails fast with the variable named: %o', (env, message) => {
    expect(() => parseConfig(env)).toThrowError(ConfigError);
    expect(() => parseConfig(env)).toThrowError(message);
  });
});
