/**
 * Docker's log stream for a container without a TTY is framed: 8 bytes of
 * header (stream type, 3 zero bytes, big-endian length) before each chunk.
 */
export interface LogFrame {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

/** Split a complete framed buffer into its chunks; a buffer that is not framed (TTY) is one stdout chunk. */
export function demultiplex(buffer: Buffer): LogFrame[] {
  if (!looksFramed(buffer)) return buffer.length ? [{ stream: 'stdout', text: buffer.toString('utf8') }] : [];
  const frames: LogFrame[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const type = buffer[offset];
    const length = buffer.readUInt32BE(offset + 4);
    const body = buffer.subarray(offset + 8, offset + 8 + length);
    frames.push({ stream: type === 2 ? 'stderr' : 'stdout', text: body.toString('utf8') });
    offset += 8 + length;
  }
  return frames;
}

function looksFramed(buffer: Buffer): boolean {
  return (
    buffer.length >= 8 &&
    (buffer[0] === 0 || buffer[0] === 1 || buffer[0] === 2) &&
    buffer[1] === 0 &&
    buffer[2] === 0 &&
    buffer[3] === 0
  );
}

/**
 * The same framing, read as it streams (a followed log): chunks may split a
 * header or a body anywhere, so bytes wait until a whole frame is in. Text is
 * decoded per stream, so a character split across two frames stays whole.
 */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };

  constructor(private readonly framed: boolean) {}

  push(chunk: Buffer): LogFrame[] {
    if (!this.framed)
      return chunk.length ? [{ stream: 'stdout', text: this.decoders.stdout.decode(chunk, { stream: true }) }] : [];
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: LogFrame[] = [];
    let offset = 0;
    while (offset + 8 <= this.pending.length) {
      const length = this.pending.readUInt32BE(offset + 4);
      if (offset + 8 + length > this.pending.length) break;
      const stream = this.pending[offset] === 2 ? 'stderr' : 'stdout';
      frames.push({
        stream,
        text: this.decoders[stream].decode(this.pending.subarray(offset + 8, offset + 8 + length), { stream: true }),
      });
      offset += 8 + length;
    }
    this.pending = this.pending.subarray(offset);
    return frames;
  }
}
