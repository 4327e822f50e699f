// Raw bytes to the browser host, below any client library: HTTP requests as
// written, and WebSocket frames of any opcode, length and masking, so a test
// can send what no well-behaved client would.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** What came back on a raw connection before it closed or the wait ran out. */
export interface RawAnswer {
  /** The HTTP status of the first response line, if one came. */
  readonly status?: number;
  readonly bytes: Buffer;
  readonly closed: boolean;
}

/** Send bytes on a fresh connection; wait up to `waitMs` for the host to answer or close. */
export function rawExchange(port: number, bytes: Buffer | string, waitMs = 300): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const all = Buffer.concat(chunks);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(all.toString('latin1'))?.[1];
      resolve({ bytes: all, closed, ...(status ? { status: Number(status) } : {}) });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      // One whole response head is all a check needs.
      if (Buffer.concat(chunks).includes('\r\n\r\n')) finish(false);
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.write(bytes);
  });
}

export interface FrameOptions {
  readonly fin?: boolean;
  /** The three reserved bits, as a number 0 to 7. */
  readonly rsv?: number;
  readonly masked?: boolean;
  /** Claim this length in the header whatever the payload is. */
  readonly claimedLength?: bigint;
}

/** One WebSocket frame as a client writes it (masked unless told otherwise). */
export function frame(opcode: number, payload: Buffer, options: FrameOptions = {}): Buffer {
  const { fin = true, rsv = 0, masked = true } = options;
  const length = options.claimedLength ?? BigInt(payload.length);
  const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  let extended = Buffer.alloc(0);
  if (length < 126n) head.push(maskBit | Number(length));
  else if (length < 65536n) {
    head.push(maskBit | 126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(Number(length));
  } else {
    head.push(maskBit | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(length);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), extended, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([Buffer.from(head), extended, mask, body]);
}

/** A server frame as read back: opcode and payload (server frames are never masked). */
export interface ServerFrame {
  readonly opcode: number;
  readonly payload: Buffer;
}

/** Read the server's frames out of a byte stream; what is left over waits for more bytes. */
export function readFrames(buffer: Buffer): { frames: ServerFrame[]; rest: Buffer } {
  const frames: ServerFrame[] = [];
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    const opcode = buffer[offset]! & 0x0f;
    let length = buffer[offset + 1]! & 0x7f;
    let start = offset + 2;
    if (length === 126) {
      if (buffer.length < start + 2) break;
      length = buffer.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      if (buffer.length < start + 8) break;
      length = Number(buffer.readBigUInt64BE(start));
      start += 8;
    }
    if (buffer.length < start + length) break;
    frames.push({ opcode, payload: buffer.subarray(start, start + length) });
    offset = start + length;
  }
  return { frames, rest: buffer.subarray(offset) };
}

/** A WebSocket opened by hand, so that any bytes at all can follow the handshake. */
export interface RawSocket {
  readonly socket: Socket;
  write(bytes: Buffer): void;
  /** The frames that came back until the host closed the connection or `waitMs` passed. */
  collect(
    waitMs: number,
    until?: (frames: readonly ServerFrame[]) => boolean,
  ): Promise<{ frames: ServerFrame[]; closed: boolean }>;
  destroy(): void;
}

/** Open /api with the given subprotocols; rejects unless the host answers 101. */
export function rawSocket(port: number, protocols: readonly string[]): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffered = Buffer.alloc(0);
    let upgraded = false;
    let closed = false;
    const waiters = new Set<() => void>();
    const wake = () => waiters.forEach((w) => w());
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      wake();
      if (!upgraded) reject(new Error('the host closed the connection during the handshake'));
    });
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!upgraded) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.subarray(0, end).toString('latin1');
        buffered = buffered.subarray(end + 4);
        if (!head.startsWith('HTTP/1.1 101')) {
          socket.destroy();
          reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
          return;
        }
        upgraded = true;
        resolve(raw);
      }
      wake();
    });
    const raw: RawSocket = {
      socket,
      write: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      collect: (waitMs, until) =>
        new Promise((done) => {
          const check = () => {
            const { frames } = readFrames(buffered);
            if (closed || until?.(frames)) finish();
          };
          const finish = () => {
            clearTimeout(timer);
            waiters.delete(check);
            done({ frames: readFrames(buffered).frames, closed });
          };
          const timer = setTimeout(finish, waitMs);
          waiters.add(check);
          check();
        }),
      destroy: () => socket.destroy(),
    };
    socket.write(
      'GET /api HTTP/1.1\r\n' +
        `Host: 127.0.0.1:${port}\r\n` +
        `Origin: http://127.0.0.1:${port}\r\n` +
        'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
        `Sec-WebSocket-Protocol: ${protocols.join(', ')}\r\n\r\n`,
    );
  });
}

/** The close code of a close frame, if the host sent one. */
export function closeCode(frames: readonly ServerFrame[]): number | undefined {
  const close = frames.find((f) => f.opcode === 8);
  return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : undefined;
}

/** The JSON of each text frame that parses. */
export function textMessages(frames: readonly ServerFrame[]): unknown[] {
  return frames
    .filter((f) => f.opcode === 1)
    .flatMap((f) => {
      try {
        return [JSON.parse(f.payload.toString('utf8'))];
      } catch {
        return [];
      }
    });
}
