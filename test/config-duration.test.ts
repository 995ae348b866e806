import { expect, test } from 'vitest';
import { parseDuration, parseSize } from '../src/config/duration.js';

test('durations in ms, s, m and h, with or without a space', () => {
  expect(parseDuration('500ms')).toBe(500);
  expect(parseDuration('5 s')).toBe(5000);
  expect(parseDuration('10s')).toBe(10_000);
  expect(parseDuration('2m')).toBe(120_000);
  expect(parseDuration('1h')).toBe(3_600_000);
  expect(parseDuration('1.5s')).toBe(1500);
  expect(parseDuration('.5s')).toBe(500);
  expect(parseDuration(' 0 ms ')).toBe(0);
});

test('a bare number is milliseconds unless the caller says seconds', () => {
  expect(parseDuration('250')).toBe(250);
  expect(parseDuration('30', 's')).toBe(30_000);
  expect(parseDuration('30ms', 's')).toBe(30);
});

test('what is not a duration', () => {
  for (const text of ['', 'ten', '-1s', '5 d', '1.s', '5 sec', '1e3', 's', '9'.repeat(400)]) {
    expect(parseDuration(text), text).toBeNull();
  }
});

test('sizes: bytes, SI, IEC and curl-style letters', () => {
  expect(parseSize('1024')).toBe(1024);
  expect(parseSize('10 B')).toBe(10);
  expect(parseSize('64MiB')).toBe(64 * 1024 * 1024);
  expect(parseSize('10 MB')).toBe(10_000_000);
  expect(parseSize('512k')).toBe(512 * 1024);
  expect(parseSize('2kb')).toBe(2000);
  expect(parseSize('1.5 KiB')).toBe(1536);
  expect(parseSize('1G')).toBe(1024 ** 3);
  expect(parseSize('1 GB')).toBe(1e9);
});

test('what is not a size', () => {
  for (const text of ['', 'lots', '-5', '10 TB', '5 MiBs', 'MiB', '9'.repeat(400)]) {
    expect(parseSize(text), text).toBeNull();
  }
});
