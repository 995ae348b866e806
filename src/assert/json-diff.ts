import { describeValue, formatValue, typeOf } from './describe-value.js';

/** Equal as JSON values: same structure, numbers by value (a bigint equals the same number), strings exactly. */
export function jsonEqual(left: unknown, right: unknown): boolean {
  return jsonDiff(left, right, '$', 1).length === 0;
}

export function numbersEqual(left: number | bigint, right: number | bigint): boolean {
  if (typeof left === 'bigint' || typeof right === 'bigint') {
    if (!Number.isInteger(Number(left)) || !Number.isInteger(Number(right))) return Number(left) === Number(right);
    return BigInt(left) === BigInt(right);
  }
  return left === right;
}

/**
 * Every path where `actual` differs from `expected`, one line each
 * (`$.items[1].name: expected "b", got "c"`), not only the first. `limit` stops a diff of two
 * unrelated 10 000-item lists from flooding the console.
 */
export function jsonDiff(expected: unknown, actual: unknown, path = '$', limit = 50): string[] {
  const lines: string[] = [];
  walk(expected, actual, path, lines, limit);
  return lines;
}

function walk(expected: unknown, actual: unknown, path: string, lines: string[], limit: number): void {
  if (lines.length >= limit) return;
  const expectedType = typeOf(expected);
  const actualType = typeOf(actual);
  if (expectedType !== actualType) {
    lines.push(`${path}: expected ${describeValue(expected)}, got ${describeValue(actual)}`);
    return;
  }
  if (expectedType === 'list') {
    const left = expected as unknown[];
    const right = actual as unknown[];
    for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
      const itemPath = `${path}[${index}]`;
      if (index >= right.length) lines.push(`${itemPath}: expected ${formatValue(left[index])}, got nothing (the list has ${right.length} items)`);
      else if (index >= left.length) lines.push(`${itemPath}: not expected, got ${formatValue(right[index])}`);
      else walk(left[index], right[index], itemPath, lines, limit);
      if (lines.length >= limit) return;
    }
    return;
  }
  if (expectedType === 'object') {
    const left = expected as Record<string, unknown>;
    const right = actual as Record<string, unknown>;
    const keys = [...Object.keys(left), ...Object.keys(right).filter((key) => !Object.hasOwn(left, key))];
    for (const key of keys) {
      const keyPath = `${path}${formatKey(key)}`;
      if (!Object.hasOwn(right, key)) lines.push(`${keyPath}: expected ${formatValue(left[key])}, got nothing`);
      else if (!Object.hasOwn(left, key)) lines.push(`${keyPath}: not expected, got ${formatValue(right[key])}`);
      else walk(left[key], right[key], keyPath, lines, limit);
      if (lines.length >= limit) return;
    }
    return;
  }
  const same = expectedType === 'number' ? numbersEqual(expected as number | bigint, actual as number | bigint) : expected === actual;
  if (!same) lines.push(`${path}: expected ${formatValue(expected)}, got ${formatValue(actual)}`);
}

function formatKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key).replace(/^"|"$/g, "'")}]`;
}
