import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.js';

describe('parseConfig', () => {
  it('applies defaults', () => {
    expect(parseConfig({})).toEqual({
      PORT: 3000,
      DATABASE_FILE: './data/chronotrack.db',
      NODE_ENV: 'development',
    });
  });

  it('treats empty variables as unset and coerces the port', () => {
    expect(parseConfig({ PORT: '8080', DATABASE_FILE: '', NODE_ENV: 'production' })).toMatchObject({
      PORT: 8080,
      DATABASE_FILE: './data/chronotrack.db',
      NODE_ENV: 'production',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
  ])('fails fast with the variable named: %o', (env, message) => {
    expect(() => parseConfig(env)).toThrowError(ConfigError);
    expect(() => parseConfig(env)).toThrowError(message);
  });
});
