import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface PausableProxy {
  /** `url` with its host and port replaced by the proxy's: connect the client under test here. */
  readonly url: string;
  /** From now on nothing passes in either direction, as when the server's process is stopped (SIGSTOP). */
  pause(): void;
  /** Delivers what was held, in order, and lets traffic flow again. */
  resume(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of a real server (MongoDB, Redis) that can stop answering without
 * closing anything: connections stay open and new ones are accepted, but no byte comes back
 * — what a client sees when the server's process is paused or its host is overloaded. Tests
 * use it instead of stopping the run's shared engine, which other test files are using.
 */
export async function pausableProxy(url: string): Promise<PausableProxy> {
  const target = new URL(url);
  let paused = false;
  const held: Array<{ to: Socket; chunk: Buffer }> = [];
  const sockets = new Set<Socket>();
  const forward = (from: Socket, to: Socket) =>
    from.on('data', (chunk: Buffer) => {
      if (paused) held.push({ to, chunk });
      else to.write(chunk);
    });
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    forward(client, upstream);
    forward(upstream, client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String((server.address() as AddressInfo).port);
  return {
    url: proxied.toString(),
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      for (const { to, chunk } of held.splice(0)) if (!to.destroyed) to.write(chunk);
    },
    close: async () => {
      const closed = new Promise((done) => server.close(done));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
