export interface BatchedWrite {
  write(text: string): void;
  /** Writes what is held, now. */
  flush(): void;
}

/**
 * Holds console text for up to `delayMs` (or `maxBytes`) and writes it in one go. Every write to a
 * pipe or a file is a system call and a wake-up of the reader: on a 1000-request file, one line
 * per request cost about 0.1 s of CPU. Order is kept; the caller flushes at the end and on signals.
 */
export function batchedWrite(write: (text: string) => void, delayMs: number, maxBytes = 64 * 1024): BatchedWrite {
  let held: string[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function flush(): void {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    if (held.length === 0) return;
    const text = held.length === 1 ? held[0]! : held.join('');
    held = [];
    size = 0;
    write(text);
  }

  return {
    write(text) {
      if (text === '') return;
      held.push(text);
      size += text.length;
      if (size >= maxBytes) flush();
      else if (timer === null) timer = setTimeout(flush, delayMs);
    },
    flush,
  };
}
