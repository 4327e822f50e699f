import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import type { SshLink } from './ssh-link';

/** One HTTP GET to a port on the host, through its SSH link (a direct-tcpip channel per request). */
export async function httpGetOverLink(
  link: SshLink,
  port: number,
  path: string,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  const tunnel: Duplex = await link.connectLocal(port);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        path,
        method: 'GET',
        headers: { Host: `127.0.0.1:${port}`, Connection: 'close' },
        createConnection: () => tunnel as never,
        timeout: timeoutMs,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body = (body + chunk).slice(0, 4096)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
