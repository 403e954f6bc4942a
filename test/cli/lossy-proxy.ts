import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real tracker that loses the answers on its first `lose` connections:
 * the request reaches the tracker (which acts on it), the client never hears back. What a
 * network cut at the wrong instant does to a create, and why the CLI's Idempotency-Key matters.
 */
export interface LossyProxy {
  url: string;
  close: () => Promise<void>;
}

export async function startLossyProxy(target: string, lose: number): Promise<LossyProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let seen = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    const lossy = seen++ < lose;
    client.pipe(upstream);
    if (lossy)
      upstream.resume(); // read and drop the answer
    else upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', () => !lossy && end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${own}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
