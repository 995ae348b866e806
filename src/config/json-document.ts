/**
 * A strict JSON (RFC 8259) parser that keeps where every value and key sits, so that an env file with a
 * wrong type can be pointed at, not just one that does not parse. JSON.parse gives neither reliably.
 */
export type JsonNode =
  | { type: 'object'; entries: JsonEntry[]; start: number; end: number }
  | { type: 'array'; items: JsonNode[]; start: number; end: number }
  | { type: 'string'; value: string; start: number; end: number }
  | { type: 'number'; value: number; start: number; end: number }
  | { type: 'boolean'; value: boolean; start: number; end: number }
  | { type: 'null'; value: null; start: number; end: number };

export interface JsonEntry {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: JsonNode;
}

export type JsonParseResult = { node: JsonNode } | { error: { message: string; offset: number } };

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
// Depth guard: a hostile file must produce an error, not a stack overflow.
const MAX_DEPTH = 500;

export function parseJsonDocument(text: string): JsonParseResult {
  let index = 0;

  const fail = (message: string, offset = index): never => {
    throw new JsonSyntaxError(message, offset);
  };
  const describe = (offset: number): string =>
    offset >= text.length ? 'the end of the file' : `"${text[offset] === '\n' ? '\\n' : text[offset]}"`;

  function skipWhitespace(): void {
    while (index < text.length) {
      const char = text[index];
      if (char === ' ' || char === '\t' || char === '\n' || char === '\r') index++;
      else if (char === '/' && (text[index + 1] === '/' || text[index + 1] === '*')) {
        fail('comments are not allowed in JSON');
      } else break;
    }
  }

  function parseString(): { value: string; start: number; end: number } {
    const start = index;
    index++; // opening quote
    let value = '';
    for (;;) {
      if (index >= text.length) fail('unterminated string', start);
      const char = text[index] ?? '';
      if (char === '"') {
        index++;
        return { value, start, end: index };
      }
      if (char === '\n' || char === '\r') fail('unterminated string (a line break inside a string must be written \\n)', start);
      if (char.charCodeAt(0) < 0x20) fail('control character in a string must be escaped');
      if (char === '\\') {
        const escape = text[index + 1] ?? '';
        if (escape === 'u') {
          const hex = text.slice(index + 2, index + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape: expected four hexadecimal digits');
          value += String.fromCharCode(Number.parseInt(hex, 16));
          index += 6;
        } else if (Object.hasOwn(ESCAPES, escape)) {
          value += ESCAPES[escape];
          index += 2;
        } else {
          fail(`invalid escape "\\${escape}" in a string`);
        }
      } else {
        value += char;
        index++;
      }
    }
  }

  function parseValue(depth: number): JsonNode {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    skipWhitespace();
    const start = index;
    const char = text[index];
    if (char === '{') return parseObject(depth);
    if (char === '[') return parseArray(depth);
    if (char === '"') return { type: 'string', ...parseString() };
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, index)) {
        index += word.length;
        return value === null
          ? { type: 'null', value, start, end: index }
          : { type: 'boolean', value, start, end: index };
      }
    }
    NUMBER.lastIndex = index;
    const number = NUMBER.exec(text);
    if (number !== null && number[0] !== '-') {
      index += number[0].length;
      return { type: 'number', value: Number(number[0]), start, end: index };
    }
    if (char === "'") fail('strings must use double quotes');
    return fail(`expected a value, found ${describe(index)}`);
  }

  function parseObject(depth: number): JsonNode {
    const start = index;
    index++;
    const entries: JsonEntry[] = [];
    skipWhitespace();
    if (text[index] === '}') {
      index++;
      return { type: 'object', entries, start, end: index };
    }
    for (;;) {
      skipWhitespace();
      if (text[index] !== '"') {
        fail(text[index] === '}' ? 'trailing comma before "}"' : `expected a property name in double quotes, found ${describe(index)}`);
      }
      const key = parseString();
      skipWhitespace();
      if (text[index] !== ':') fail(`expected ":" after the property name "${key.value}", found ${describe(index)}`);
      index++;
      const value = parseValue(depth + 1);
      entries.push({ key: key.value, keyStart: key.start, keyEnd: key.end, value });
      skipWhitespace();
      if (text[index] === ',') {
        index++;
        continue;
      }
      if (text[index] === '}') {
        index++;
        return { type: 'object', entries, start, end: index };
      }
      fail(`expected "," or "}" after a property value, found ${describe(index)}`);
    }
  }

  function parseArray(depth: number): JsonNode {
    const start = index;
    index++;
    const items: JsonNode[] = [];
    skipWhitespace();
    if (text[index] === ']') {
      index++;
      return { type: 'array', items, start, end: index };
    }
    for (;;) {
      skipWhitespace();
      if (text[index] === ']') fail('trailing comma before "]"');
      items.push(parseValue(depth + 1));
      skipWhitespace();
      if (text[index] === ',') {
        index++;
        continue;
      }
      if (text[index] === ']') {
        index++;
        return { type: 'array', items, start, end: index };
      }
      fail(`expected "," or "]" after an array item, found ${describe(index)}`);
    }
  }

  try {
    const node = parseValue(0);
    skipWhitespace();
    if (index < text.length) fail(`unexpected ${describe(index)} after the end of the JSON value`);
    return { node };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { error: { message: error.message, offset: error.offset } };
    throw error;
  }
}

/** The plain value a node denotes (what JSON.parse would give). */
export function jsonValue(node: JsonNode): unknown {
  if (node.type === 'object') return Object.fromEntries(node.entries.map((entry) => [entry.key, jsonValue(entry.value)]));
  if (node.type === 'array') return node.items.map(jsonValue);
  return node.value;
}
