export interface Batch {
  /** Files to run (absolute paths); the runner puts them in its own order. */
  files: ReadonlySet<string>;
  /** Why they run, for the header line: "changed: a.http", "re-run all". */
  reason: string;
}

export interface RunQueueOptions {
  /** Runs a batch to its end; calls `finished` for each file whose result is complete. Never rejects on purpose. */
  runBatch(batch: Batch, signal: AbortSignal, finished: (file: string) => void): Promise<void>;
  /** The batch in flight was cancelled because `reason`; it is restarted (what did not finish) with the new work. */
  onCancel(batch: Batch, reason: string): void;
  /** runBatch threw: a bug, reported, and the queue goes on. */
  onError(error: unknown): void;
}

export interface RunQueue {
  /** Asks for `files` to run. Cancels the run in flight when it has not yet finished one of them. */
  request(files: Iterable<string>, reason: string): void;
  /** Whether a run goes or waits. */
  busy(): boolean;
  /** Resolves when nothing runs and nothing waits. */
  idle(): Promise<void>;
  /** Cancels the run in flight, drops what waits and refuses new work. */
  stop(): Promise<void>;
}

/**
 * One run at a time, so that output never interleaves. A change to a file the run in flight has not
 * finished makes that run stale: it is cancelled, and its unfinished files run again together with
 * the new ones. A change to anything else waits for the run in flight and then runs.
 */
export function createRunQueue(options: RunQueueOptions): RunQueue {
  const waiting = new Set<string>();
  const reasons: string[] = [];
  let current: { batch: Batch; done: Set<string>; controller: AbortController; finished: Promise<void> } | null = null;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];

  const pump = async () => {
    while (!stopped && waiting.size > 0) {
      const batch: Batch = { files: new Set(waiting), reason: [...new Set(reasons)].join('; ') };
      waiting.clear();
      reasons.length = 0;
      const controller = new AbortController();
      const done = new Set<string>();
      const finished = options
        .runBatch(batch, controller.signal, (file) => done.add(file))
        .catch((error: unknown) => options.onError(error));
      current = { batch, done, controller, finished };
      await finished;
      current = null;
    }
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const wake of waiters) wake();
  };

  return {
    request(files, reason) {
      if (stopped) return;
      const wanted = [...files];
      if (wanted.length === 0) return;
      for (const file of wanted) waiting.add(file);
      reasons.push(reason);
      if (current) {
        const { batch, done, controller } = current;
        const unfinished = [...batch.files].filter((file) => !done.has(file));
        if (!controller.signal.aborted && wanted.some((file) => unfinished.includes(file))) {
          options.onCancel(batch, reason);
          controller.abort();
          for (const file of unfinished) waiting.add(file);
        }
        return;
      }
      void pump();
    },
    busy() {
      return current !== null || waiting.size > 0;
    },
    idle() {
      if (!current && waiting.size === 0) return Promise.resolve();
      return new Promise((wake) => idleWaiters.push(wake));
    },
    async stop() {
      stopped = true;
      waiting.clear();
      const running = current;
      running?.controller.abort();
      await running?.finished;
    },
  };
}
