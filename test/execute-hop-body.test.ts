import { expect, test } from 'vitest';
import { HopBody } from '../src/execute/hop-body.js';

class TooLarge extends Error {}

function body() {
  const calls = { resumed: 0, aborted: [] as Error[] };
  const hop = new HopBody(
    () => calls.resumed++,
    (error) => calls.aborted.push(error),
  );
  return { hop, calls };
}

test('collect returns the chunks that arrived before and after it was asked', async () => {
  const { hop } = body();
  hop.push(Buffer.from('ab'));
  const collected = hop.collect(100, () => new TooLarge());
  hop.push(Buffer.from('cd'));
  hop.end();
  expect((await collected).toString()).toBe('abcd');
  expect(hop.progress.received).toBe(4);
});

test('collect past the limit rejects with the caller\'s error even when the body had already arrived whole', async () => {
  const { hop, calls } = body();
  hop.push(Buffer.from('hello world'));
  hop.end();
  await expect(hop.collect(5, () => new TooLarge('too large'))).rejects.toThrow('too large');
  // Nothing left to stop on the wire.
  expect(calls.aborted).toEqual([]);
});

test('collect past the limit while the body streams stops the request', async () => {
  const { hop, calls } = body();
  const collected = hop.collect(5, () => new TooLarge('too large'));
  expect(hop.push(Buffer.from('abc'))).toBe(true);
  expect(hop.push(Buffer.from('defgh'))).toBe(false);
  await expect(collected).rejects.toBeInstanceOf(TooLarge);
  expect(calls.aborted).toHaveLength(1);
});

test('a failure on the wire rejects a waiting collect or drain', async () => {
  const first = body().hop;
  const collected = first.collect(100, () => new TooLarge());
  first.fail(new Error('other side closed'));
  await expect(collected).rejects.toThrow('other side closed');

  const second = body().hop;
  second.push(Buffer.from('x'));
  second.fail(new Error('reset'));
  await expect(second.drain()).rejects.toThrow('reset');
});

test('before anyone asks, 64 KiB are held and then the connection pauses; asking resumes it', async () => {
  const { hop, calls } = body();
  const chunk = Buffer.alloc(16 * 1024);
  expect([hop.push(chunk), hop.push(chunk), hop.push(chunk)]).toEqual([true, true, true]);
  expect(hop.push(chunk)).toBe(false);
  const drained = hop.drain();
  expect(calls.resumed).toBe(1);
  hop.end();
  await drained;
  expect(hop.progress.received).toBe(64 * 1024);
});

test('stream() replays what arrived, follows the rest with backpressure, and destroying it stops the request', async () => {
  const { hop, calls } = body();
  hop.push(Buffer.from('one '));
  const stream = hop.stream();
  hop.push(Buffer.from('two'));
  hop.end();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).toString()).toBe('one two');

  const other = body();
  const open = other.hop.stream();
  const errored = new Promise((resolve) => open.once('error', resolve));
  other.hop.push(Buffer.from('partial'));
  open.destroy(new Error('not wanted'));
  expect(((await errored) as Error).message).toBe('not wanted');
  expect(other.calls.aborted.map((e) => e.message)).toEqual(['not wanted']);
  expect(calls.aborted).toEqual([]);
});

test('a body is consumed once', () => {
  const { hop } = body();
  void hop.drain();
  expect(() => hop.collect(1, () => new TooLarge())).toThrow('a hop body is consumed once');
});
