import { Readable } from 'node:stream';

/** Bytes held before anyone asked for the body; past this the connection is paused. */
const PENDING_LIMIT = 64 * 1024;

/**
 * A raw (still encoded) response body as undici hands it over, consumed in one of three ways:
 * collected whole, drained, or as a stream. Collecting and draining take the chunks straight from
 * the handler: the profile of 1000 small responses showed a Readable per response (its state,
 * the push/emitReadable ticks, the data and end events) as a visible share of CPU and garbage.
 * Only the rarer paths (decoding, saving to a file, previews) pay for a stream, made on demand.
 */
export class HopBody {
  /** Raw body bytes received so far: says how far a body got when the connection dropped. */
  readonly progress = { received: 0 };
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private paused = false;
  private complete = false;
  private failure: Error | null = null;
  private sink: ((chunk: Buffer) => boolean) | null = null;
  private onEnd: (() => void) | null = null;
  private onFail: ((error: Error) => void) | null = null;
  private readable: Readable | null = null;

  /**
   * @param resume undici's resume: reading goes on after `push` returned false.
   * @param abort stops the request (and with it the connection) when the body is not wanted whole.
   */
  constructor(
    private readonly resume: () => void,
    private readonly abort: (error: Error) => void,
  ) {}

  // ---------------------------------------------------------------- the handler's side

  /** A chunk from the wire; false pauses the connection until the consumer wants more. */
  push(chunk: Buffer): boolean {
    this.progress.received += chunk.length;
    if (this.sink !== null) {
      if (this.sink(chunk)) return true;
    } else {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes < PENDING_LIMIT) return true;
    }
    this.paused = true;
    return false;
  }

  end(): void {
    if (this.complete || this.failure !== null) return;
    this.complete = true;
    this.onEnd?.();
  }

  fail(error: Error): void {
    if (this.complete || this.failure !== null) return;
    this.failure = error;
    this.onFail?.(error);
  }

  get done(): boolean {
    return this.complete || this.failure !== null;
  }

  // ---------------------------------------------------------------- the consumer's side

  /** The whole body; rejects with `tooLarge()` (and stops the request) past `limit` bytes. */
  collect(limit: number, tooLarge: () => Error): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let total = 0;
    let overflow: Error | null = null;
    return this.consume((chunk) => {
      total += chunk.length;
      if (total > limit) {
        // The body may have arrived whole already: the error is ours to report, not the wire's.
        overflow ??= tooLarge();
        this.destroy(overflow);
        return false;
      }
      chunks.push(chunk);
      return true;
    }).then(() => {
      if (overflow !== null) throw overflow;
      return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
    });
  }

  /** Reads the body to its end and keeps nothing, so that the connection can be reused. */
  drain(): Promise<void> {
    return this.consume(() => true);
  }

  /** The body as a stream with backpressure; destroying it stops the request. */
  stream(): Readable {
    if (this.readable !== null) return this.readable;
    const readable = new Readable({
      read: () => this.resumeIfPaused(),
      destroy: (error, callback) => {
        this.stop(error ?? new Error('body discarded'));
        callback(error);
      },
    });
    this.readable = readable;
    const take = this.takePending();
    for (const chunk of take) readable.push(chunk);
    if (this.failure !== null) readable.destroy(this.failure);
    else if (this.complete) readable.push(null);
    else {
      this.sink = (chunk) => readable.push(chunk);
      this.onEnd = () => readable.push(null);
      this.onFail = (error) => readable.destroy(error);
    }
    return readable;
  }

  /** Stops the request; a consumer waiting on the body sees `error`. */
  destroy(error: Error = new Error('body discarded')): void {
    this.stop(error);
    this.readable?.destroy(error);
  }

  private stop(error: Error): void {
    if (this.done) return;
    this.abort(error);
    this.fail(error);
  }

  private consume(take: (chunk: Buffer) => boolean): Promise<void> {
    if (this.readable !== null || this.sink !== null) throw new Error('a hop body is consumed once');
    return new Promise((resolve, reject) => {
      const pending = this.takePending();
      for (let i = 0; i < pending.length; i++) {
        if (!take(pending[i]!)) break;
      }
      if (this.failure !== null) return reject(this.failure);
      if (this.complete) return resolve();
      this.sink = take;
      this.onEnd = resolve;
      this.onFail = reject;
      this.resumeIfPaused();
    });
  }

  private takePending(): Buffer[] {
    const chunks = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    return chunks;
  }

  private resumeIfPaused(): void {
    if (!this.paused) return;
    this.paused = false;
    this.resume();
  }
}
