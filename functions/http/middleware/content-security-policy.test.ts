import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PAGE_CSP } from './content-security-policy.js';
import { inMemoryApp } from '../../../test/support/apps.js';

/** The dashboard's nginx (web/nginx.conf.in) sends copies of the server's page policies. */
describe('the page policies and their nginx copies', () => {
  const nginx = readFileSync(new URL('../../../web/nginx.conf.in', import.meta.url), 'utf8');
  const fallback = /location \/ \{([\s\S]*?)\n {4}\}/.exec(nginx)![1]!;
  const header = (name: string) =>
    new RegExp(`add_header ${name} "([^"]*)" always;`).exec(fallback)?.[1];

  it('nginx serves the dashboard with PAGE_CSP', () => {
    expect(header('Content-Security-Policy')).toBe(PAGE_CSP);
  });

  it("nginx's Permissions-Policy is the one every answer of the server has", async () => {
    const served = (await inMemoryApp().request('/health')).headers.get('permissions-policy');
    expect(served).toMatch(/camera=\(\)/);
    expect(header('Permissions-Policy')).toBe(served);
  });
});
