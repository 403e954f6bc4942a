import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** The envelope's recipients (RCPT TO), as the server saw them. */
  rcptTo: string[];
  mailFrom: string;
  /** Who logged in (AUTH PLAIN/LOGIN). */
  user: string | undefined;
  /** The message came over TLS (STARTTLS, or an smtps:// connection). */
  secure: boolean;
  parsed: ParsedMail;
}

export interface SmtpReceiver {
  /** `smtp://user:pass@127.0.0.1:<port>`: what SMTP_URL would say. */
  url: string;
  received: ReceivedMail[];
  /** The next sends are refused with this SMTP answer (then accepted again). */
  refuseNext(count: number): void;
  close(): Promise<void>;
}

export interface SmtpReceiverOptions {
  user?: string;
  pass?: string;
  /**
   * Offer STARTTLS with this certificate (test/support/tls-certificate.ts), which the client is
   * told to trust. Without it the server offers no STARTTLS and refuses the command, as a server
   * without TLS does; AUTH over the plain connection is allowed then, here and here only.
   */
  tls?: { key: string; cert: string };
}

/**
 * A real SMTP server on loopback (the `smtp-server` package) that accepts one user and reads
 * every message back with `mailparser`.
 */
export async function startSmtpReceiver({
  user = 'chronotrack',
  pass = 'sm7p-Secret!pass',
  tls,
}: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  const received: ReceivedMail[] = [];
  let refusals = 0;
  const server = new SMTPServer({
    ...(tls ? { key: tls.key, cert: tls.cert } : { disabledCommands: ['STARTTLS'] }),
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === pass) callback(null, { user });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          if (refusals > 0) {
            refusals--;
            const error = new Error('Mailbox unavailable, try later') as Error & {
              responseCode: number;
            };
            error.responseCode = 451;
            return callback(error);
          }
          received.push({
            rcptTo: session.envelope.rcptTo.map((to) => to.address),
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            user: session.user as string | undefined,
            secure: session.secure,
            parsed,
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`,
    received,
    refuseNext: (count) => {
      refusals = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
