import { expect, test } from 'vitest';
import { batchedWrite } from '../src/report/batched-write.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('writes made close together go out as one write, in order, after the delay', async () => {
  const writes: string[] = [];
  const out = batchedWrite((text) => writes.push(text), 20);
  out.write('a\n');
  out.write('');
  out.write('b\n');
  expect(writes).toEqual([]);
  await sleep(50);
  expect(writes).toEqual(['a\nb\n']);
  out.write('c\n');
  await sleep(50);
  expect(writes).toEqual(['a\nb\n', 'c\n']);
});

test('flush writes at once and cancels the pending timer; flushing nothing writes nothing', async () => {
  const writes: string[] = [];
  const out = batchedWrite((text) => writes.push(text), 1000);
  out.write('x');
  out.flush();
  out.flush();
  expect(writes).toEqual(['x']);
  await sleep(20);
  expect(writes).toEqual(['x']);
});

test('past maxBytes the held text is written without waiting', () => {
  const writes: string[] = [];
  const out = batchedWrite((text) => writes.push(text), 1000, 8);
  out.write('1234');
  expect(writes).toEqual([]);
  out.write('5678');
  expect(writes).toEqual(['12345678']);
  out.flush();
  expect(writes).toEqual(['12345678']);
});
