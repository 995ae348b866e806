import { describeType, typeOf } from './describe-value.js';
import { jsonDiff, numbersEqual } from './json-diff.js';
import { parseJson } from './parse-json.js';

/**
 * The expected text of `== != < ...` as SPEC §7 reads it: numbers as numbers (big integers exact),
 * `true`/`false`/`null` literally, a double-quoted JSON string as "raw text or the string it
 * denotes", a JSON object or list structurally, anything else as text.
 */
export type Expected =
  | { kind: 'number'; value: number | bigint; raw: string }
  | { kind: 'boolean'; value: boolean; raw: string }
  | { kind: 'null'; raw: string }
  | { kind: 'quoted'; value: string; raw: string }
  | { kind: 'json'; value: unknown; raw: string }
  | { kind: 'text'; raw: string };

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export function interpretExpected(raw: string): Expected {
  if (NUMBER.test(raw)) {
    const parsed = parseJson(raw);
    if ('value' in parsed) return { kind: 'number', value: parsed.value as number | bigint, raw };
  }
  if (raw === 'true' || raw === 'false') return { kind: 'boolean', value: raw === 'true', raw };
  if (raw === 'null') return { kind: 'null', raw };
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    const parsed = parseJson(raw);
    if ('value' in parsed) return { kind: 'quoted', value: parsed.value as string, raw };
  }
  if (/^[[{]/.test(raw)) {
    const parsed = parseJson(raw);
    if ('value' in parsed) return { kind: 'json', value: parsed.value, raw };
  }
  return { kind: 'text', raw };
}

/** The value the expected text stands for when compared with `actual` (what the report shows as `expected`). */
export function expectedValueFor(expected: Expected, actual: unknown): unknown {
  // Bytes written as hex, hex,...; or base64,...; are shown as the bytes they are (in hex).
  if (Buffer.isBuffer(actual)) return expectedBytes(expected) ?? (expected.kind === 'quoted' ? expected.value : expected.raw);
  // A date is written as text; a number, boolean, null or JSON is shown as what it is (the types-differ hint says so too).
  if (actual instanceof Date && (expected.kind === 'text' || expected.kind === 'quoted')) return expectedText(expected);
  switch (expected.kind) {
    case 'number':
      return typeof actual === 'string' ? expected.raw : expected.value;
    case 'boolean':
      return typeof actual === 'string' ? expected.raw : expected.value;
    case 'null':
      return typeof actual === 'string' ? expected.raw : null;
    case 'quoted':
      return expected.value;
    case 'json':
      return typeof actual === 'string' && !looksLikeJsonContainer(actual) ? expected.raw : expected.value;
    case 'text':
      return expected.raw;
  }
}

export interface Comparison {
  equal: boolean;
  /** Replaces the usual "expected X but got Y" line (structural comparisons say where instead). */
  summary?: string;
  /** Lines after the first line of a failure: type hints and JSON diff. */
  details: string[];
}

function looksLikeJsonContainer(text: string): boolean {
  return /^\s*[[{]/.test(text);
}

export function compareEqual(actual: unknown, expected: Expected): Comparison {
  if (actual instanceof Date) return compareDate(actual, expected);
  if (Buffer.isBuffer(actual)) return compareBytes(actual, expected);
  const actualType = typeOf(actual);
  if (typeof actual === 'string') {
    // A JSON text (a whole body, a header holding JSON) against an expected JSON value: compare structures.
    if (expected.kind === 'json' && looksLikeJsonContainer(actual)) {
      const parsed = parseJson(actual);
      if ('value' in parsed) return structural(expected.value, parsed.value);
    }
    if (expected.kind === 'quoted') return { equal: actual === expected.raw || actual === expected.value, details: [] };
    return { equal: actual === expected.raw, details: [] };
  }
  switch (expected.kind) {
    case 'number':
      if (actualType === 'number') return { equal: numbersEqual(actual as number | bigint, expected.value), details: [] };
      return mismatch(actual, expected.value);
    case 'boolean':
      if (actualType === 'boolean') return { equal: actual === expected.value, details: [] };
      return mismatch(actual, expected.value);
    case 'null':
      return actual === null ? { equal: true, details: [] } : mismatch(actual, null);
    case 'quoted':
      if (actualType === 'number') {
        return { equal: false, details: [`hint: a number never equals a quoted string; write ${expected.value} without quotes to compare numbers`] };
      }
      return mismatch(actual, expected.value);
    case 'json':
      if (actualType === 'list' || actualType === 'object') return structural(expected.value, actual);
      return mismatch(actual, expected.value);
    case 'text':
      if (actualType === 'list' || actualType === 'object') {
        return { equal: false, details: [`hint: ${describeType(actualType)} is compared with JSON; write the expected value as JSON (e.g. ${actualType === 'list' ? '["a", "b"]' : '{"id": 1}'})`] };
      }
      return mismatch(actual, expected.raw);
  }
}

/** The text an expected value was written as (a quoted string without its quotes). */
function expectedText(expected: Expected): string {
  return expected.kind === 'quoted' ? expected.value : expected.raw;
}

const ZONELESS_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/**
 * An expected date: ISO 8601 (without an offset it is UTC, as dates are throughout) or the
 * HTTP form `Wed, 21 Oct 2015 07:28:00 GMT`. NaN when the text is no date.
 */
export function parseExpectedDate(text: string): number {
  const trimmed = text.trim();
  if (ZONELESS_DATE_TIME.test(trimmed)) return Date.parse(`${trimmed.replace(' ', 'T')}Z`);
  if (!/\d/.test(trimmed)) return Number.NaN;
  return Date.parse(trimmed);
}

function compareDate(actual: Date, expected: Expected): Comparison {
  if (expected.kind !== 'text' && expected.kind !== 'quoted') return mismatch(actual, expected.kind === 'null' ? null : (expected as { value: unknown }).value);
  const time = parseExpectedDate(expectedText(expected));
  if (Number.isNaN(time)) return { equal: false, details: [`hint: ${JSON.stringify(expectedText(expected))} is not a date; write one as 2024-05-01T12:00:00Z`] };
  return { equal: time === actual.getTime(), details: [] };
}

/**
 * Expected bytes: lowercase or uppercase hex (`d188d0b5`), or Hurl's literals `hex,d188d0b5;`
 * and `base64,0YjQtQ==;`. Null when the text is none of these.
 */
export function expectedBytes(expected: Expected): Buffer | null {
  const text = expectedText(expected).trim();
  const literal = /^(hex|base64),([\s\S]*);$/.exec(text);
  if (literal !== null) {
    const body = (literal[2] ?? '').replace(/\s+/g, '');
    if (literal[1] === 'hex') return /^(?:[0-9a-fA-F]{2})*$/.test(body) ? Buffer.from(body, 'hex') : null;
    return /^[A-Za-z0-9+/]*={0,2}$/.test(body) ? Buffer.from(body, 'base64') : null;
  }
  return /^(?:[0-9a-fA-F]{2})*$/.test(text) ? Buffer.from(text, 'hex') : null;
}

function compareBytes(actual: Buffer, expected: Expected): Comparison {
  const bytes = expectedBytes(expected);
  if (bytes === null) {
    return { equal: false, details: [`hint: bytes are compared with bytes; write them as hex (${actual.subarray(0, 4).toString('hex') || 'd188'}...), hex,...; or base64,...;`] };
  }
  return { equal: bytes.equals(actual), details: [] };
}

function structural(expected: unknown, actual: unknown): Comparison {
  const lines = jsonDiff(expected, actual);
  if (lines.length === 0) return { equal: true, details: [] };
  const places = lines.length >= 50 ? 'at least 50 places (the first 50 follow)' : lines.length === 1 ? '1 place' : `${lines.length} places`;
  return { equal: false, summary: `the JSON differs from the expected value in ${places}:`, details: lines.map((line) => `  ${line}`) };
}

function mismatch(actual: unknown, expected: unknown): Comparison {
  const actualType = typeOf(actual);
  const expectedType = typeOf(expected);
  return { equal: false, details: actualType === expectedType ? [] : [`hint: the types differ: expected ${describeType(expectedType)}, got ${describeType(actualType)}`] };
}

/**
 * `< <= > >=`: numbers numerically (a numeric string such as a Content-Length header too, when
 * the expected value is a number); two strings by code point order (ISO dates sort correctly).
 * Returns null when the values cannot be ordered.
 */
export function compareOrder(actual: unknown, expected: Expected): number | null {
  if (actual instanceof Date) {
    const time = expected.kind === 'text' || expected.kind === 'quoted' ? parseExpectedDate(expectedText(expected)) : Number.NaN;
    if (Number.isNaN(time)) return null;
    return Math.sign(actual.getTime() - time);
  }
  const actualNumber = typeof actual === 'number' || typeof actual === 'bigint'
    ? actual
    : typeof actual === 'string' && expected.kind === 'number' && NUMBER.test(actual.trim())
      ? (parseJson(actual.trim()) as { value: number | bigint }).value
      : null;
  if (actualNumber !== null && expected.kind === 'number') return orderNumbers(actualNumber, expected.value);
  if (typeof actual === 'string' && (expected.kind === 'text' || expected.kind === 'quoted')) {
    const other = expected.kind === 'quoted' ? expected.value : expected.raw;
    return actual < other ? -1 : actual > other ? 1 : 0;
  }
  return null;
}

function orderNumbers(left: number | bigint, right: number | bigint): number {
  if (numbersEqual(left, right)) return 0;
  const integers = [left, right].every((value) => typeof value === 'bigint' || Number.isInteger(value));
  if (integers) return BigInt(left) < BigInt(right) ? -1 : 1;
  return Number(left) < Number(right) ? -1 : 1;
}
