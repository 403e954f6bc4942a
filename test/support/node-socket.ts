import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { SmtpConnect, SmtpSocket } from '../../functions/runtime/smtp-client.js';

/**
 * `connect()` of `cloudflare:sockets` over node:net and node:tls, for running the Workers' SMTP
 * client (functions/runtime/smtp-client.ts) against an SMTP server in a Node test: a socket with
 * web streams, `opened`, `close()` and `startTls()` that upgrades the same connection. `ca`: the
 * test's self-signed certificate, trusted as workerd trusts a public one.
 */
export function nodeSocketConnect(options: { ca?: string } = {}): SmtpConnect {
  return ({ hostname, port }, { secureTransport }) => {
    const tls = { ca: options.ca, servername: isIP(hostname) ? undefined : hostname };
    return secureTransport === 'on'
      ? webSocket(tlsConnect({ host: hostname, port, ...tls }), 'secureConnect', null)
      : webSocket(netConnect({ host: hostname, port }), 'connect', (socket, name = hostname) =>
          // `host`: the name the certificate is checked against (Node assumes localhost).
          tlsConnect({
            socket,
            host: name,
            ca: options.ca,
            servername: isIP(name) ? undefined : name,
          }),
        );
  };
}

function webSocket(
  socket: Socket,
  openEvent: 'connect' | 'secureConnect',
  upgrade: ((socket: Socket, name: string | undefined) => Socket) | null,
): SmtpSocket {
  const opened = new Promise<void>((resolve, reject) => {
    socket.once(openEvent, () => resolve());
    socket.once('error', reject);
  });
  opened.catch(() => undefined);
  let stop = () => {};
  const readable = new ReadableStream<Uint8Array>({
    start(controller) {
      const onData = (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk));
      const onEnd = () => controller.close();
      const onError = (error: Error) => controller.error(error);
      socket.on('data', onData).once('end', onEnd).once('error', onError);
      // startTls(): from now on the bytes are the TLS socket's, not this stream's.
      stop = () => {
        socket.off('data', onData).off('end', onEnd).off('error', onError);
        controller.close();
      };
    },
  });
  // As workerd's: a write waits for the connection (and its TLS handshake), failing as it failed.
  const writable = new WritableStream<Uint8Array>({
    write: async (chunk) => {
      await opened;
      await new Promise<void>((resolve, reject) =>
        socket.write(chunk, (error) => (error ? reject(error) : resolve())),
      );
    },
  });
  return {
    readable,
    writable,
    opened,
    close: async () => void socket.destroy(),
    startTls({ expectedServerHostname }) {
      if (!upgrade) throw new Error('startTls() needs secureTransport: starttls');
      stop();
      return webSocket(upgrade(socket, expectedServerHostname), 'secureConnect', null);
    },
  };
}
