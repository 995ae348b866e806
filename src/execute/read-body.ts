import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describeIoError } from '../describe-io-error.js';
import { makeDirectories } from '../make-directories.js';
import { createDecoders, type Decoder } from './decode-body.js';
import type { HopBody } from './hop-body.js';

export class BodyLimitError extends Error {
  constructor(readonly limit: number) {
    super(`response body is larger than the limit of ${formatBytes(limit)} after decoding (raise it with --max-body)`);
  }
}

/** `--max-body 0` is no limit, as curl's `--max-filesize 0`. */
function bodyLimit(maxBodyBytes: number): number {
  return maxBodyBytes > 0 ? maxBodyBytes : Infinity;
}

export class DecodeError extends Error {
  constructor(coding: string, cause: Error) {
    super(`invalid ${coding === 'x-gzip' ? 'gzip' : coding} data: ${cause.message}`);
  }
}

export class SaveError extends Error {}

export interface BodyOutcome {
  body: Buffer | null;
  /** The body is a preview: its first bytes only, the rest drained. */
  truncated?: boolean;
  savedTo?: string;
  warnings: string[];
}

/**
 * Reads, drains or saves a response body. Decoding is streamed and the limit counts decoded bytes,
 * so a decompression bomb stops at the limit instead of filling memory. Without a reader or a file
 * the body is drained undecoded: nothing is kept, whatever its size.
 */
export async function readBody(
  raw: HopBody,
  contentEncoding: string | undefined,
  options: { readBody: boolean; maxBodyBytes: number; saveTo?: { path: string; overwrite: boolean }; previewBytes?: number },
): Promise<BodyOutcome> {
  const warnings: string[] = [];
  if (!options.readBody && options.saveTo === undefined && (options.previewBytes ?? 0) > 0) {
    return preview(raw.stream(), contentEncoding, options.previewBytes!);
  }
  if (!options.readBody && options.saveTo === undefined) {
    await raw.drain();
    return { body: null, warnings };
  }
  const found = createDecoders(contentEncoding);
  let decoders: Decoder[] = [];
  if ('unknown' in found) warnings.push(`unknown Content-Encoding ${found.unknown}: body kept as received`);
  else decoders = found.decoders;

  if (decoders.length === 0 && options.saveTo === undefined) {
    const limit = bodyLimit(options.maxBodyBytes);
    return { body: await raw.collect(limit, () => new BodyLimitError(limit)), warnings };
  }

  let failedCoding: string | null = null;
  for (const decoder of decoders) {
    decoder.once('error', (error: Error & { code?: unknown }) => {
      // pipeline() destroys every stage with the first error; only a decompressor's own error names a coding.
      if (typeof error.code === 'string' && /^(Z_|ERR__ERROR|ERR_BROTLI|ERR_ZSTD)/.test(error.code)) failedCoding ??= decoder.coding;
    });
  }

  let file: WriteStream | null = null;
  let savedTo: string | undefined;
  if (options.saveTo !== undefined) {
    savedTo = options.saveTo.overwrite ? options.saveTo.path : await freePath(options.saveTo.path);
    try {
      await makeDirectories(dirname(savedTo));
    } catch (error) {
      raw.destroy();
      throw new SaveError(`cannot save the response to ${savedTo}: ${describeSaveError(error)}`);
    }
    file = createWriteStream(savedTo);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  let overLimit = false;
  const limit = options.readBody ? bodyLimit(options.maxBodyBytes) : Infinity;
  const sink = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > limit) {
        overLimit = true;
        throw new BodyLimitError(limit);
      }
      if (options.readBody) chunks.push(chunk);
      if (file !== null && !file.write(chunk)) await once(file, 'drain');
    }
  };
  try {
    await (pipeline as (...streams: unknown[]) => Promise<void>)(raw.stream(), ...decoders, sink);
    if (file !== null) {
      file.end();
      await once(file, 'finish');
    }
  } catch (error) {
    file?.destroy();
    // pipeline() may report the teardown (an abort) rather than the limit that caused it.
    if (overLimit) throw new BodyLimitError(limit);
    if (failedCoding !== null) throw new DecodeError(failedCoding, error as Error);
    if (file !== null && file.errored) throw new SaveError(`cannot save the response to ${savedTo}: ${describeSaveError(file.errored)}`);
    throw error;
  }
  const body = options.readBody ? (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total)) : null;
  return savedTo === undefined ? { body, warnings } : { body, savedTo, warnings };
}

/**
 * The first bytes of a body nothing reads, for display (--verbose, the HTML report): whatever the
 * body's size or coding, memory stays at the preview's size and no error comes of it, as for a
 * drained body. Only the raw prefix is decoded, so a decompression bomb costs no more than that.
 */
async function preview(raw: Readable, contentEncoding: string | undefined, limit: number): Promise<BodyOutcome> {
  const prefix: Buffer[] = [];
  let kept = 0;
  let total = 0;
  for await (const chunk of raw as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (kept < limit) {
      const part = chunk.subarray(0, limit - kept);
      prefix.push(part);
      kept += part.length;
    }
  }
  const head = Buffer.concat(prefix, kept);
  const found = createDecoders(contentEncoding);
  if ('unknown' in found || found.decoders.length === 0) return { body: head, truncated: total > kept, warnings: [] };
  const decoded: Buffer[] = [];
  let size = 0;
  let full = false;
  try {
    await (pipeline as (...streams: unknown[]) => Promise<void>)(Readable.from([head]), ...found.decoders, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) {
        decoded.push(chunk);
        size += chunk.length;
        if (size > limit) {
          full = true;
          return;
        }
      }
    });
  } catch {
    // A preview shows what decoded; the body was not needed, so bad data is no error here.
  }
  const body = Buffer.concat(decoded, size);
  return { body: body.subarray(0, limit), truncated: full || total > kept, warnings: [] };
}

/** `>> file` never overwrites: like JetBrains and httpyac it picks `name-1.ext`, `name-2.ext`, ... */
async function freePath(path: string): Promise<string> {
  const extension = extname(path);
  const stem = path.slice(0, path.length - extension.length);
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? path : `${stem}-${n}${extension}`;
    try {
      await access(candidate);
    } catch {
      return candidate;
    }
  }
}

export function formatBytes(bytes: number): string {
  const units: [number, string][] = [[1024 ** 3, 'GiB'], [1024 ** 2, 'MiB'], [1024, 'KiB']];
  for (const [size, unit] of units) {
    if (bytes >= size) return `${Math.round((bytes / size) * 10) / 10} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** Node's own words name the syscall (`EEXIST: file already exists, mkdir '…'`): say what is in the way. */
function describeSaveError(error: unknown): string {
  const { code, path } = error as NodeJS.ErrnoException;
  // mkdir -p meets a file where the path needs a folder.
  if ((code === 'EEXIST' || code === 'ENOTDIR') && path !== undefined) return `${path} is a file, not a folder`;
  return describeIoError(error);
}
