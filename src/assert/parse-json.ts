/**
 * JSON parsing that keeps integers beyond Number.MAX_SAFE_INTEGER exact (as bigint).
 *
 * Node 20 has no `context.source` in JSON.parse revivers, so a reviver cannot recover the digits
 * of `12345678901234567890`. Texts without a run of 16+ digits cannot hold such an integer, so
 * they take the fast native path; only the others go through this small parser.
 */

export type JsonParse = { value: unknown } | { error: string };

const LONG_DIGIT_RUN = /\d{16}/;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/** Whether the text may hold an integer that JSON.parse would round (else it certainly does not). */
export function mayHoldBigInt(text: string): boolean {
  return LONG_DIGIT_RUN.test(text);
}

export function parseJson(text: string): JsonParse {
  if (!mayHoldBigInt(text)) {
    try {
      return { value: JSON.parse(text) as unknown };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }
  try {
    const parser = new ExactJsonParser(text);
    return { value: parser.parseDocument() };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { error: error.message };
    throw error;
  }
}

/** Does the value hold a bigint anywhere (i.e. does it differ from what JSON.parse gives)? */
export function holdsBigInt(value: unknown): boolean {
  if (typeof value === 'bigint') return true;
  if (Array.isArray(value)) return value.some(holdsBigInt);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsBigInt);
  return false;
}

/** A copy with every bigint as the nearest number: for libraries that only know numbers (ajv, json-p3 filters). */
export function toLossy(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toLossy);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) defineKey(copy, key, toLossy(item));
    return copy;
  }
  return value;
}

/** JSON text of a value that may hold bigints (written as their exact digits). */
export function stringifyJson(value: unknown, indent?: number): string {
  // Bytes (from filters) are written as their hex: `this[key]` is the Buffer before its toJSON ran.
  const text = JSON.stringify(value, function (this: Record<string, unknown>, key: string, item: unknown) {
    if (typeof item === 'bigint') return `\u0000bigint:${item}\u0000`;
    const raw = this[key];
    return Buffer.isBuffer(raw) ? raw.toString('hex') : item;
  }, indent);
  return text.replace(/"\\u0000bigint:(-?\d+)\\u0000"/g, '$1');
}

class JsonSyntaxError extends Error {}

// `__proto__` as a JSON key must become an own property, as JSON.parse does.
function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

class ExactJsonParser {
  private index = 0;

  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    this.skipSpace();
    const value = this.parseValue();
    this.skipSpace();
    if (this.index < this.text.length) this.fail('Unexpected non-whitespace character after JSON');
    return value;
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(`${message} at position ${this.index}`);
  }

  private skipSpace(): void {
    while (this.index < this.text.length) {
      const char = this.text[this.index];
      if (char !== ' ' && char !== '\t' && char !== '\n' && char !== '\r') return;
      this.index += 1;
    }
  }

  private parseValue(): unknown {
    const char = this.text[this.index];
    if (char === '{') return this.parseObject();
    if (char === '[') return this.parseArray();
    if (char === '"') return this.parseString();
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.parseNumber();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.index)) {
        this.index += word.length;
        return value;
      }
    }
    if (char === undefined) this.fail('Unexpected end of JSON input');
    return this.fail(`Unexpected token '${char}'`);
  }

  private parseObject(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.index += 1;
    this.skipSpace();
    if (this.text[this.index] === '}') {
      this.index += 1;
      return result;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.index] !== '"') this.fail('Expected a double-quoted property name');
      const key = this.parseString();
      this.skipSpace();
      if (this.text[this.index] !== ':') this.fail("Expected ':' after property name");
      this.index += 1;
      this.skipSpace();
      defineKey(result, key, this.parseValue());
      this.skipSpace();
      const next = this.text[this.index];
      this.index += 1;
      if (next === '}') return result;
      if (next !== ',') {
        this.index -= 1;
        this.fail("Expected ',' or '}' after property value");
      }
    }
  }

  private parseArray(): unknown[] {
    const result: unknown[] = [];
    this.index += 1;
    this.skipSpace();
    if (this.text[this.index] === ']') {
      this.index += 1;
      return result;
    }
    for (;;) {
      this.skipSpace();
      result.push(this.parseValue());
      this.skipSpace();
      const next = this.text[this.index];
      this.index += 1;
      if (next === ']') return result;
      if (next !== ',') {
        this.index -= 1;
        this.fail("Expected ',' or ']' after array element");
      }
    }
  }

  private parseString(): string {
    const start = this.index;
    this.index += 1;
    for (;;) {
      const char = this.text[this.index];
      if (char === undefined) this.fail('Unterminated string in JSON');
      if (char === '"') break;
      if (char === '\\') this.index += 1;
      else if (char < ' ') this.fail('Bad control character in string literal');
      this.index += 1;
    }
    this.index += 1;
    // The native parser decodes escapes exactly as JSON defines them.
    try {
      return JSON.parse(this.text.slice(start, this.index)) as string;
    } catch {
      this.index = start;
      return this.fail('Bad escaped character in string literal');
    }
  }

  private parseNumber(): number | bigint {
    NUMBER.lastIndex = this.index;
    const match = NUMBER.exec(this.text);
    if (match === null) return this.fail('No number after minus sign');
    this.index += match[0].length;
    const isInteger = match[1] === undefined && match[2] === undefined;
    const number = Number(match[0]);
    if (isInteger && !Number.isSafeInteger(number)) return BigInt(match[0]);
    return number;
  }
}
