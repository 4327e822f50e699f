import { createServer } from 'node:net';

function free(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A base port p on 127.0.0.1 with p and p+1 free, for a service's releases.
 * Drawn below Linux's ephemeral range (32768 up), as real service ports are:
 * a port there may be taken at any moment as the source of an outgoing connection.
 */
export async function freePortPair(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if ((await free(port)) && (await free(port + 1))) return port;
  }
  throw new Error('no free pair of ports on 127.0.0.1');
}
