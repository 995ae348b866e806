/** The exchange ran past its `timeoutMs`. */
export class Timeout extends Error {}
/** The run's signal was aborted (--bail, Ctrl-C). */
export class Cancelled extends Error {}

/**
 * How one request learns that it must stop: its own deadline or the run's signal, whichever comes
 * first. Cheaper than an AbortController, a timer and two listeners per request, which the
 * profile of a 1000-request file showed as a few percent of its CPU and much of its garbage:
 * deadlines share one timer per timeout length and the run's signal has one listener per run.
 */
export class CancelToken {
  /** Why the request must stop, once it must. */
  reason: Timeout | Cancelled | null = null;
  /** Set by whoever is waiting on the network; called once, on cancellation. */
  onCancel: ((reason: Error) => void) | null = null;
  /** performance.now() after which the request times out; Infinity without a timeout. */
  deadline = Number.POSITIVE_INFINITY;
  finished = false;
  private queue: DeadlineQueue | null = null;
  private signal: AbortSignal | null = null;

  /** Starts the clock (0 = no timeout) and follows the run's signal; call `finish()` when done. */
  constructor(timeoutMs: number, signal: AbortSignal | undefined) {
    if (signal !== undefined) {
      if (signal.aborted) {
        this.reason = new Cancelled();
        return;
      }
      this.signal = signal;
      watchersOf(signal).add(this);
    }
    if (timeoutMs > 0) {
      this.deadline = performance.now() + timeoutMs;
      this.queue = queueFor(timeoutMs);
      this.queue.add(this);
    }
  }

  cancel(reason: Timeout | Cancelled): void {
    if (this.reason !== null || this.finished) return;
    this.reason = reason;
    const hook = this.onCancel;
    this.onCancel = null;
    hook?.(reason);
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.onCancel = null;
    if (this.signal !== null) watchers.get(this.signal)?.delete(this);
    this.queue?.release();
  }
}

// ------------------------------------------------------------------ the run's signal, one listener

const watchers = new WeakMap<AbortSignal, Set<CancelToken>>();

function watchersOf(signal: AbortSignal): Set<CancelToken> {
  let set = watchers.get(signal);
  if (set === undefined) {
    const tokens = new Set<CancelToken>();
    set = tokens;
    watchers.set(signal, tokens);
    signal.addEventListener(
      'abort',
      () => {
        for (const token of [...tokens]) token.cancel(new Cancelled());
        tokens.clear();
      },
      { once: true },
    );
  }
  return set;
}

// ------------------------------------------------------------------ deadlines, one timer per length

/**
 * Requests with the same timeout length expire in the order they started, so a FIFO with one
 * timer armed for its oldest entry serves them all. Finished entries are dropped lazily; the timer
 * is unreferenced while no request is pending, so it never keeps the process alive on its own.
 */
class DeadlineQueue {
  private items: CancelToken[] = [];
  private head = 0;
  private pending = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  add(token: CancelToken): void {
    this.dropFinished();
    this.items.push(token);
    this.pending++;
    if (this.timer === null) this.arm(token.deadline - performance.now());
    else if (this.pending === 1) this.timer.ref();
  }

  release(): void {
    this.pending--;
    if (this.pending === 0 && this.timer !== null) this.timer.unref();
  }

  private dropFinished(): void {
    while (this.head < this.items.length && this.items[this.head]!.finished) this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.fire(), Math.max(0, ms));
    if (this.pending === 0) this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    const now = performance.now();
    while (this.head < this.items.length) {
      const token = this.items[this.head]!;
      if (!token.finished) {
        if (token.deadline > now) {
          this.arm(token.deadline - now);
          return;
        }
        token.cancel(new Timeout());
      }
      this.head++;
    }
    this.items = [];
    this.head = 0;
  }
}

const queues = new Map<number, DeadlineQueue>();

function queueFor(timeoutMs: number): DeadlineQueue {
  let queue = queues.get(timeoutMs);
  if (queue === undefined) {
    queue = new DeadlineQueue();
    queues.set(timeoutMs, queue);
  }
  return queue;
}
