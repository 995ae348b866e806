import { expect, test } from 'vitest';
import { Cancelled, CancelToken, Timeout } from '../src/execute/cancel-token.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('tokens sharing a timeout length each time out at their own deadline', async () => {
  const first = new CancelToken(40, undefined);
  await sleep(20);
  const second = new CancelToken(40, undefined);
  const seen: string[] = [];
  first.onCancel = () => seen.push('first');
  second.onCancel = () => seen.push('second');
  await sleep(30);
  expect(seen).toEqual(['first']);
  expect(first.reason).toBeInstanceOf(Timeout);
  expect(second.reason).toBeNull();
  await sleep(30);
  expect(seen).toEqual(['first', 'second']);
  first.finish();
  second.finish();
});

test('a finished token never times out, and later ones still do', async () => {
  const done = new CancelToken(20, undefined);
  done.finish();
  const pending = new CancelToken(20, undefined);
  await sleep(50);
  expect(done.reason).toBeNull();
  expect(pending.reason).toBeInstanceOf(Timeout);
  pending.finish();
});

test('the run signal cancels every pending token once, not finished ones, and cancels new ones at once', () => {
  const controller = new AbortController();
  const a = new CancelToken(0, controller.signal);
  const b = new CancelToken(10_000, controller.signal);
  const finished = new CancelToken(0, controller.signal);
  finished.finish();
  let calls = 0;
  a.onCancel = () => calls++;
  controller.abort();
  expect(a.reason).toBeInstanceOf(Cancelled);
  expect(b.reason).toBeInstanceOf(Cancelled);
  expect(finished.reason).toBeNull();
  expect(calls).toBe(1);
  a.cancel(new Timeout());
  expect(a.reason).toBeInstanceOf(Cancelled);
  expect(new CancelToken(0, controller.signal).reason).toBeInstanceOf(Cancelled);
  a.finish();
  b.finish();
});

test('no timeout and no signal: nothing ever cancels the token', async () => {
  const token = new CancelToken(0, undefined);
  expect(token.deadline).toBe(Number.POSITIVE_INFINITY);
  await sleep(10);
  expect(token.reason).toBeNull();
  token.finish();
});
