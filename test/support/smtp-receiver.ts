import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** The envelope's recipients (RCPT TO), as the server saw them. */
  rcptTo: string[];
  mailFrom: string;
  /** Who logged in (AUTH PLAIN/LOGIN). */
  user: string | undefined;
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

/**
 * A real SMTP server on loopback (the `smtp-server` package) that accepts one user and reads
 * every message back with `mailparser`. No STARTTLS: the test has no certificate the client
 * would trust; AUTH over the plain connection is allowed here, and here only.
 */
export async function startSmtpReceiver(
  user = 'chronotrack',
  pass = 'sm7p-Secret!pass',
): Promise<SmtpReceiver> {
  const received: ReceivedMail[] = [];
  let refusals = 0;
  const server = new SMTPServer({
    hideSTARTTLS: true,
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
