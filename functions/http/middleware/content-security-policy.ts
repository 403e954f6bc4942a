import type { secureHeaders } from 'hono/secure-headers';

/** hono/secure-headers' options (the type is not exported by name). */
type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

/**
 * The Content-Security-Policy of the pages this server serves: the dashboard and `/api/docs`
 * (Swagger UI). The dashboard keeps an API key in web storage, and the docs page takes one, so a
 * script injected into either could read it: the policy allows only this origin's own files (no
 * inline script or style, no `eval`; Swagger UI's icons are `data:` images) and requests to this
 * origin. web/nginx.conf.in serves the dashboard with a copy; content-security-policy.test.ts
 * keeps the two equal.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * Every response: hono/secure-headers' defaults, a policy that lets nothing load or frame (JSON,
 * problems, metrics) unless the answer set its own (the dashboard, the docs page: `overwrite`
 * off), and no powerful browser feature for any page of this origin.
 */
export const SECURE_HEADERS: SecureHeadersOptions = {
  overwrite: false,
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  permissionsPolicy: {
    accelerometer: [],
    camera: [],
    geolocation: [],
    gyroscope: [],
    magnetometer: [],
    microphone: [],
    payment: [],
    usb: [],
  },
};
