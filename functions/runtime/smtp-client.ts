import type { Mailer } from '../../shared/channels/mailer.js';
import { hideSmtpSecrets } from '../../shared/channels/smtp.js';
import type { MailSettings } from '../../shared/config.js';
import { base64Utf8 as base64, composeMessage } from './smtp-message.js';

/**
 * What the client needs of a TCP socket: the `Socket` of `cloudflare:sockets` (workerd's
 * `connect()`, functions/runtime/worker-mailer.ts); the tests run the same client over node:net
 * and node:tls through test/support/node-socket.ts.
 */
export interface SmtpSocket {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  readonly opened: Promise<unknown>;
  close(): Promise<void>;
  /** Only on a socket opened with `secureTransport: 'starttls'`; this one is closed by it. */
  startTls(options: { expectedServerHostname?: string }): SmtpSocket;
}

export type SmtpConnect = (
  address: { hostname: string; port: number },
  options: { secureTransport: 'on' | 'starttls'; allowHalfOpen: boolean },
) => SmtpSocket;

interface Reply {
  code: number;
  /** Every line as the server sent it (`250-...`, `250 OK`), joined by a line break. */
  text: string;
}

/**
 * Email channels' transport where there is no nodemailer (Workers): a small SMTP client over a
 * socket, one connection per message. Why not the `worker-mailer` package: its `send()` drops the
 * server's final answer (which the deliveries log records), it cannot require TLS, it spins on a
 * connection the server closed, and it asks for no bounces (`NOTIFY=NEVER`) whenever the server
 * offers DSN. The steps are nodemailer's: EHLO, STARTTLS when offered (required with
 * `?requireTLS=true`; smtps:// is TLS from the start), AUTH PLAIN or LOGIN, MAIL, RCPT, DATA.
 * Each exchange has WEBHOOK_TIMEOUT_SECONDS; `signal` ends the whole attempt. The password
 * reaches the server and nothing else.
 */
export function smtpMailer(
  { server, from, timeoutSeconds }: MailSettings,
  connect: SmtpConnect,
): Mailer {
  const scrub = (text: string) => hideSmtpSecrets(server, text);
  return {
    async send(mail, signal) {
      signal.throwIfAborted();
      // Each is a command's argument: a line break would start a command of its own.
      if (mail.to.some((to) => /[\s<>]/.test(to)))
        throw new Error('a recipient address holds a space, a line break or an angle bracket');
      const session = new SmtpSession(
        connect(
          { hostname: server.host, port: server.port },
          { secureTransport: server.secure ? 'on' : 'starttls', allowHalfOpen: false },
        ),
        timeoutSeconds,
        signal,
      );
      try {
        await session.opened();
        await session.expect(null, [220], 'greeting');
        let features = await session.hello();
        if (!server.secure) {
          if (/^STARTTLS$/m.test(features)) {
            await session.expect('STARTTLS', [220], 'STARTTLS');
            session.upgrade(server.host);
            features = await session.hello();
          } else if (server.requireTLS) {
            throw new Error(
              'SMTP_URL requires TLS (requireTLS=true), but the server does not offer STARTTLS',
            );
          }
        }
        if (server.auth) await session.login(server.auth, features);
        await session.expect(`MAIL FROM:<${from.address}>`, [250], 'MAIL FROM');
        const refused: string[] = [];
        for (const to of mail.to) {
          const reply = await session.command(`RCPT TO:<${to}>`);
          if (reply.code !== 250 && reply.code !== 251) refused.push(reply.text);
        }
        if (refused.length === mail.to.length)
          throw new Error(`all recipients were refused: ${refused.join('; ')}`);
        await session.expect('DATA', [354], 'DATA');
        const message = composeMessage(mail, from, new Date(), crypto.randomUUID());
        // Dot-stuffing (RFC 5321 4.5.2), then the end-of-data line.
        const answer = await session.expect(
          `${message.replace(/^\./gm, '..')}\r\n.`,
          [250],
          'message',
        );
        await session.quit();
        return scrub(answer.text);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw new Error(scrub(error instanceof Error ? error.message : String(error)));
      } finally {
        await session.close();
      }
    },
  };
}

/** One SMTP conversation: commands and their replies, each bounded by the timeout. */
class SmtpSession {
  private reader: ReadableStreamDefaultReader<Uint8Array>;
  private writer: WritableStreamDefaultWriter<Uint8Array>;
  private buffered = '';
  private decoder = new TextDecoder();
  private readonly encoder = new TextEncoder();

  constructor(
    private socket: SmtpSocket,
    private readonly timeoutSeconds: number,
    private readonly signal: AbortSignal,
  ) {
    this.reader = socket.readable.getReader();
    this.writer = socket.writable.getWriter();
  }

  opened(): Promise<unknown> {
    return this.bounded(this.socket.opened, 'connecting');
  }

  /** EHLO (HELO where refused): the extensions the server announced, one per line. */
  async hello(): Promise<string> {
    // The address literal nodemailer sends too: a Worker has no host name of its own.
    const ehlo = await this.command('EHLO [127.0.0.1]');
    if (ehlo.code === 250)
      return ehlo.text
        .split('\n')
        .slice(1)
        .map((line) => line.slice(4).toUpperCase())
        .join('\n');
    await this.expect('HELO [127.0.0.1]', [250], 'HELO');
    return '';
  }

  /** After a 220 to STARTTLS: the same connection, encrypted and the server's name verified. */
  upgrade(host: string): void {
    this.reader.releaseLock();
    this.writer.releaseLock();
    this.socket = this.socket.startTls({ expectedServerHostname: host });
    this.reader = this.socket.readable.getReader();
    this.writer = this.socket.writable.getWriter();
    this.buffered = '';
    this.decoder = new TextDecoder();
  }

  /** AUTH PLAIN, or LOGIN when that is all the server offers. */
  async login(auth: { user: string; pass: string }, features: string): Promise<void> {
    const methods = /^AUTH[ =](.*)$/m.exec(features)?.[1]?.split(/\s+/) ?? [];
    const what = 'Invalid login';
    if (methods.includes('PLAIN') || !methods.includes('LOGIN')) {
      await this.expect(`AUTH PLAIN ${base64(`\0${auth.user}\0${auth.pass}`)}`, [235], what);
      return;
    }
    await this.expect('AUTH LOGIN', [334], what);
    await this.expect(base64(auth.user), [334], what);
    await this.expect(base64(auth.pass), [235], what);
  }

  /** Sends `line` (none: reads the greeting) and fails unless the reply's code is one of `codes`. */
  async expect(line: string | null, codes: number[], what: string): Promise<Reply> {
    const reply = line === null ? await this.reply() : await this.command(line);
    if (!codes.includes(reply.code)) throw new Error(`${what}: ${reply.text.replace(/\n/g, ' ')}`);
    return reply;
  }

  async command(line: string): Promise<Reply> {
    await this.bounded(this.writer.write(this.encoder.encode(`${line}\r\n`)), 'sending');
    return this.reply();
  }

  async quit(): Promise<void> {
    // The message is accepted by now: a server that hangs up without answering QUIT is fine.
    await this.command('QUIT').catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.socket.close().catch(() => undefined);
  }

  /** One reply: its lines up to the one whose code is followed by a space. */
  private async reply(): Promise<Reply> {
    const lines: string[] = [];
    for (;;) {
      const end = this.buffered.indexOf('\n');
      if (end === -1) {
        const { value, done } = await this.bounded(this.reader.read(), 'waiting for its answer');
        if (done) throw new Error('the SMTP server closed the connection');
        this.buffered += this.decoder.decode(value, { stream: true });
        continue;
      }
      const line = this.buffered.slice(0, end).replace(/\r$/, '');
      this.buffered = this.buffered.slice(end + 1);
      lines.push(line);
      if (!/^\d{3}-/.test(line)) {
        const code = Number(line.slice(0, 3));
        if (!Number.isInteger(code) || code < 200)
          throw new Error(`not an SMTP reply: ${line.slice(0, 200)}`);
        return { code, text: lines.join('\n') };
      }
    }
  }

  /** `work`, or a rejection when the server takes longer than the timeout or the attempt ends. */
  private bounded<T>(work: Promise<T>, doing: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`the SMTP server did not answer within ${this.timeoutSeconds} s (${doing})`),
          ),
        this.timeoutSeconds * 1000,
      );
      onAbort = () => reject(this.signal.reason as Error);
      this.signal.addEventListener('abort', onAbort, { once: true });
    });
    return Promise.race([work, limit]).finally(() => {
      if (timer !== undefined) clearTimeout(timer);
      this.signal.removeEventListener('abort', onAbort!);
    });
  }
}
