/**
 * Environment values are text once loaded: numbers and booleans as written, objects and arrays as their
 * JSON text, null as the empty string (a placeholder someone means to fill in, not the word "null").
 */
export function variableText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}
