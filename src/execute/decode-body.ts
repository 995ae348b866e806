import { Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';

/** The codings we undo, in the order we advertise them. zstd only where this Node has it. */
export const acceptEncoding = ['gzip', 'deflate', 'br', ...('createZstdDecompress' in zlib ? ['zstd'] : [])].join(', ');

export type Decoder = Transform & { coding: string };

/**
 * Decoders for a Content-Encoding value, in the order to apply them (the last coding listed was
 * applied last, so it is undone first). Returns the codings we do not know instead, so the caller
 * can keep the body as received and say why.
 */
export function createDecoders(contentEncoding: string | undefined): { decoders: Decoder[] } | { unknown: string } {
  if (contentEncoding === undefined) return { decoders: [] };
  const codings = contentEncoding.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
  const decoders: Decoder[] = [];
  for (const coding of codings.reverse()) {
    const decoder = createDecoder(coding);
    if (decoder === null) return { unknown: coding };
    decoders.push(Object.assign(decoder, { coding }));
  }
  return { decoders };
}

// Lenient flushing, as browsers and undici's fetch do: a truncated but otherwise valid stream yields what it has.
const lenient = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };

function createDecoder(coding: string): Transform | null {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip(lenient);
    case 'deflate':
      return new DeflateDecoder();
    case 'br':
      return zlib.createBrotliDecompress({
        flush: zlib.constants.BROTLI_OPERATION_FLUSH,
        finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
      });
    case 'zstd': {
      const create = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
      return create ? create() : null;
    }
    default:
      return null;
  }
}

/**
 * `deflate` is meant to be zlib-wrapped, but many servers send raw deflate; the first byte tells
 * (a zlib header has compression method 8 in its low nibble), so the inner inflater is chosen late.
 */
class DeflateDecoder extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | null = null;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (chunk.length === 0) return done();
    if (this.inner === null) {
      const inner = (this.inner = (chunk[0]! & 0x0f) === 8 ? zlib.createInflate(lenient) : zlib.createInflateRaw(lenient));
      inner.on('data', (data: Buffer) => {
        if (!this.push(data)) inner.pause();
      });
      inner.on('error', (error) => this.destroy(error));
    }
    this.inner.write(chunk, () => done());
  }

  override _read(size: number): void {
    this.inner?.resume();
    super._read(size);
  }

  override _flush(done: TransformCallback): void {
    if (this.inner === null) return done();
    this.inner.once('end', () => done());
    this.inner.end();
  }
}
