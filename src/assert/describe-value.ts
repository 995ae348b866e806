import { stringifyJson } from './parse-json.js';

/** Longest value shown in a failure message before it is cut with a note. */
export const MESSAGE_VALUE_LIMIT = 200;
/** Longest string kept in a result's `expected`/`actual` (the JSON report must not carry whole bodies). */
export const REPORT_VALUE_LIMIT = 4096;

/** `date` and `bytes` come from filters only (`toDate`, `base64Decode` ...). */
export type ValueType = 'number' | 'string' | 'boolean' | 'null' | 'list' | 'object' | 'date' | 'bytes';

export function typeOf(value: unknown): ValueType {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Date) return 'date';
  if (Buffer.isBuffer(value)) return 'bytes';
  return 'object';
}

/** `3`, `"abc"`, `[1,2]` — JSON text, big integers exact, cut at `limit` characters with a note. */
export function formatValue(value: unknown, limit = MESSAGE_VALUE_LIMIT): string {
  const text = value === undefined ? 'nothing' : value instanceof Date ? dateText(value) : Buffer.isBuffer(value) ? value.toString('hex') : stringifyJson(value);
  return truncate(text, limit);
}

export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}… (truncated, ${text.length} characters in all)`;
}

/** `the number 3`, `the string "3"`, `true`, `null`, `a list of 2 items [1,2]`, `an object {...}`. */
export function describeValue(value: unknown): string {
  switch (typeOf(value)) {
    case 'number':
      return `the number ${formatValue(value)}`;
    case 'string':
      return `the string ${formatValue(value)}`;
    case 'boolean':
      return `the boolean ${String(value)}`;
    case 'null':
      return 'null';
    case 'list': {
      const length = (value as unknown[]).length;
      return `a list of ${length} item${length === 1 ? '' : 's'} ${formatValue(value)}`;
    }
    case 'object':
      return `an object ${formatValue(value)}`;
    case 'date':
      return `the date ${formatValue(value)}`;
    case 'bytes': {
      const length = (value as Buffer).length;
      return `the bytes ${formatValue(value)} (${length} byte${length === 1 ? '' : 's'}, in hex)`;
    }
  }
}

/** ISO 8601 in UTC; an invalid date (none is made here, but a Date can be one) says so. */
function dateText(date: Date): string {
  return Number.isNaN(date.getTime()) ? 'an invalid date' : date.toISOString();
}

const ARTICLES: Record<ValueType, string> = {
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  null: 'null',
  list: 'a list',
  object: 'an object',
  date: 'a date',
  bytes: 'bytes',
};

export function describeType(type: ValueType): string {
  return ARTICLES[type];
}

/**
 * A value as the JSON report can hold it: bigints become their exact digits as a string (JSON
 * numbers in other tools lose them anyway), long strings are cut with a note.
 */
export function toReportValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return truncate(value, REPORT_VALUE_LIMIT);
  if (value === undefined) return null;
  // Dates as ISO 8601 text, bytes as lowercase hex: the forms sha256 and cookie dates already take.
  if (value instanceof Date) return dateText(value);
  if (Buffer.isBuffer(value)) return truncate(value.toString('hex'), REPORT_VALUE_LIMIT);
  if (Array.isArray(value)) return value.map(toReportValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toReportValue(item)]));
  }
  return value;
}
