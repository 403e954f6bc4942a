/**
 * The SMTP server of SMTP_URL and the From of SMTP_FROM, parsed once (shared/config.ts) into the
 * settings both mail transports read: nodemailer on Node (functions/runtime/node-mailer.ts) and
 * the SMTP client over `cloudflare:sockets` on Workers (functions/runtime/worker-mailer.ts), so
 * the two cannot read one URL two ways.
 */
export interface SmtpServer {
  host: string;
  /** The URL's port, or 587 for smtp:// and 465 for smtps://. */
  port: number;
  /** smtps://: TLS from the first byte. */
  secure: boolean;
  /**
   * smtp:// only: `?requireTLS=true` refuses to go on (and to send the password) unless the
   * server offers STARTTLS and the upgrade succeeds; otherwise STARTTLS is used when offered.
   */
  requireTLS: boolean;
  /** The URL's user and password, decoded; none: no AUTH. */
  auth: { user: string; pass: string } | null;
}

/** An address with its optional display name: `ChronoTrack <chronotrack@example.com>`. */
export interface MailAddress {
  name: string;
  address: string;
}

/** The query parameters SMTP_URL may carry, each `true` or `false`. */
export const SMTP_URL_OPTIONS = ['requireTLS'] as const;

const ADDRESS = /^[^\s<>@",;]+@[^\s<>@",;]+$/;

/** `smtp://user:pass@host:587?requireTLS=true`, already checked to be an smtp(s) URL. */
export function parseSmtpUrl(value: string): SmtpServer {
  const url = new URL(value);
  const secure = url.protocol === 'smtps:';
  const user = decodeURIComponent(url.username);
  return {
    // An IPv6 literal comes bracketed: the socket wants the address alone.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS: url.searchParams.get('requireTLS') === 'true',
    auth: user || url.password ? { user, pass: decodeURIComponent(url.password) } : null,
  };
}

/** A problem with SMTP_URL's query (an unknown option, a value other than true/false), or null. */
export function smtpUrlQueryProblem(value: string): string | null {
  const { searchParams } = new URL(value);
  for (const [name, setting] of searchParams) {
    if (!(SMTP_URL_OPTIONS as readonly string[]).includes(name))
      return `has an unknown option ${JSON.stringify(name)} (only ${SMTP_URL_OPTIONS.join(', ')})`;
    if (setting !== 'true' && setting !== 'false') return `${name} must be true or false`;
  }
  return null;
}

/** SMTP_FROM: `chronotrack@example.com` or `ChronoTrack <chronotrack@example.com>`; null: neither. */
export function parseMailAddress(value: string): MailAddress | null {
  const named = /^(.*?)\s*<([^<>]+)>$/.exec(value.trim());
  const [name, address] = named ? [named[1]!.replace(/^"(.*)"$/, '$1'), named[2]!] : ['', value];
  if (!ADDRESS.test(address.trim()) || /[\r\n<>"]/.test(name)) return null;
  return { name: name.trim(), address: address.trim() };
}

/**
 * Replaces the password in `text` (as written in the URL and decoded) with `***`: a transport's
 * errors and answers pass through this before they are recorded in a delivery's log or returned.
 */
export function hideSmtpSecrets(server: SmtpServer, text: string): string {
  const pass = server.auth?.pass ?? '';
  const secrets = [...new Set([pass, encodeURIComponent(pass)])].filter((s) => s.length >= 3);
  return secrets.reduce((out, secret) => out.replaceAll(secret, '***'), text);
}
