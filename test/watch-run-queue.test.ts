import { expect, test } from 'vitest';
import { createRunQueue, type Batch } from '../src/watch/run-queue.js';

interface Started {
  files: string[];
  reason: string;
  signal: AbortSignal;
  finish(file: string): void;
  end(): void;
}

/** A queue whose batches end when the test says so: the order of events is the test's to decide. */
function harness() {
  const started: Started[] = [];
  const log: string[] = [];
  const queue = createRunQueue({
    runBatch: (batch: Batch, signal, finished) =>
      new Promise<void>((resolve) => {
        const files = [...batch.files].sort();
        log.push(`start ${files.join(',')} (${batch.reason})`);
        const end = () => {
          log.push(`end ${files.join(',')}${signal.aborted ? ' aborted' : ''}`);
          resolve();
        };
        signal.addEventListener('abort', end, { once: true });
        started.push({ files, reason: batch.reason, signal, finish: finished, end });
      }),
    onCancel: (batch, reason) => log.push(`cancel ${[...batch.files].sort().join(',')}: ${reason}`),
    onError: (error) => log.push(`error ${(error as Error).message}`),
  });
  return { queue, started, log };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test('a change to a file the run has not finished cancels it and restarts the unfinished files with it', async () => {
  const { queue, started, log } = harness();
  queue.request(['a', 'b', 'c'], 'first run');
  await tick();
  started[0]!.finish('a');
  queue.request(['b'], 'changed: b');
  await tick();
  expect(started[0]!.signal.aborted).toBe(true);
  expect(started[1]!.files).toEqual(['b', 'c']);
  started[1]!.end();
  await queue.idle();
  expect(log).toEqual([
    'start a,b,c (first run)',
    'cancel a,b,c: changed: b',
    'end a,b,c aborted',
    'start b,c (changed: b)',
    'end b,c',
  ]);
});

test('a change to a file the run already finished waits for the run instead of cancelling it', async () => {
  const { queue, started, log } = harness();
  queue.request(['a', 'b'], 'first run');
  await tick();
  started[0]!.finish('a');
  queue.request(['a'], 'changed: a');
  queue.request(['z'], 'added: z');
  await tick();
  expect(started[0]!.signal.aborted).toBe(false);
  expect(queue.busy()).toBe(true);
  started[0]!.end();
  await tick();
  expect(started[1]!.files).toEqual(['a', 'z']);
  expect(started[1]!.reason).toBe('changed: a; added: z');
  started[1]!.end();
  await queue.idle();
  expect(queue.busy()).toBe(false);
  expect(log.filter((line) => line.startsWith('cancel'))).toEqual([]);
});

test('the same reason twice is named once; an empty request starts nothing', async () => {
  const { queue, started } = harness();
  queue.request([], 'nothing');
  expect(queue.busy()).toBe(false);
  queue.request(['a'], 'first run');
  await tick();
  queue.request(['b'], 'changed: b');
  queue.request(['b'], 'changed: b');
  started[0]!.end();
  await tick();
  expect(started[1]!.reason).toBe('changed: b');
  started[1]!.end();
  await queue.idle();
});

test('a batch that throws is reported and the queue goes on', async () => {
  const log: string[] = [];
  let calls = 0;
  const queue = createRunQueue({
    runBatch: async (batch) => {
      calls++;
      if (calls === 1) throw new Error('boom');
      log.push(`ran ${[...batch.files].join(',')}`);
    },
    onCancel: () => {},
    onError: (error) => log.push(`error: ${(error as Error).message}`),
  });
  queue.request(['a'], 'first');
  await queue.idle();
  queue.request(['b'], 'second');
  await queue.idle();
  expect(log).toEqual(['error: boom', 'ran b']);
});

test('stop cancels the run in flight, drops what waits and refuses new work', async () => {
  const { queue, started, log } = harness();
  queue.request(['a'], 'first run');
  await tick();
  started[0]!.finish('a');
  queue.request(['b'], 'changed: b');
  await queue.stop();
  queue.request(['c'], 'changed: c');
  await queue.idle();
  expect(started).toHaveLength(1);
  expect(log).toEqual(['start a (first run)', 'end a aborted']);
});
