import { compileJsonPath, type CompiledJsonPath } from './compile-json-path.js';
import { compileXPath, type CompiledXPath } from './xpath-query.js';
import { formatDate } from './date-format.js';
import { parsePattern } from './parse-pattern.js';

/** A word of an assertion, with 0-based offsets into its source. */
export interface Token {
  text: string;
  start: number;
  end: number;
}

/**
 * Hurl's filters (https://hurl.dev/docs/filters.html), applied left to right to what the query
 * selected. Filters that make bytes in Hurl make a Buffer here, shown and compared as lowercase
 * hex (the form `sha256` and `md5` give).
 */
export type Filter =
  /** Number of matches (or items of the single list matched, keys of an object, characters of a string, bytes). `length` is an alias. */
  | { kind: 'count' }
  | { kind: 'first' }
  | { kind: 'last' }
  /** Zero-based; a negative index counts from the end (`nth -1` is the last). */
  | { kind: 'nth'; index: number }
  | { kind: 'toInt' }
  | { kind: 'toFloat' }
  | { kind: 'toString' }
  | { kind: 'base64Decode' }
  | { kind: 'base64Encode' }
  | { kind: 'base64UrlSafeDecode' }
  | { kind: 'base64UrlSafeEncode' }
  | { kind: 'htmlEscape' }
  | { kind: 'htmlUnescape' }
  | { kind: 'toHex' }
  | { kind: 'urlDecode' }
  | { kind: 'urlEncode' }
  | { kind: 'utf8Decode' }
  | { kind: 'utf8Encode' }
  | { kind: 'daysAfterNow' }
  | { kind: 'daysBeforeNow' }
  /** The absolute URL a redirect (from `redirects`) or a Location header points to. */
  | { kind: 'location' }
  | { kind: 'decode'; charset: string }
  /** Hurl's `dateFormat "fmt"`, formerly `format "fmt"`. */
  | { kind: 'dateFormat'; format: string }
  | { kind: 'toDate'; format: string }
  | { kind: 'jsonpath'; path: string; compiled: CompiledJsonPath }
  | { kind: 'xpath'; expression: string; compiled: CompiledXPath }
  | { kind: 'regex'; pattern: RegExp }
  | { kind: 'replace'; old: string; replacement: string }
  | { kind: 'replaceRegex'; pattern: RegExp; replacement: string }
  | { kind: 'split'; separator: string }
  | { kind: 'urlQueryParam'; name: string };

type Kind = Filter['kind'];

const PLAIN: readonly Kind[] = [
  'count', 'first', 'last', 'toInt', 'toFloat', 'toString', 'base64Decode', 'base64Encode', 'base64UrlSafeDecode',
  'base64UrlSafeEncode', 'htmlEscape', 'htmlUnescape', 'toHex', 'urlDecode', 'urlEncode', 'utf8Decode', 'utf8Encode',
  'daysAfterNow', 'daysBeforeNow', 'location',
];

/** Filters with arguments: what each argument is called in messages, and an example. */
const ARGUMENTS = new Map<Kind, { names: string[]; example: string }>([
  ['nth', { names: ['an index'], example: 'nth 0' }],
  ['decode', { names: ['an encoding'], example: 'decode "gb2312"' }],
  ['dateFormat', { names: ['a date format'], example: 'dateFormat "%Y-%m-%d"' }],
  ['toDate', { names: ['a date format'], example: 'toDate "%Y-%m-%d"' }],
  ['jsonpath', { names: ['a JSONPath'], example: 'jsonpath "$.id"' }],
  ['xpath', { names: ['an XPath expression'], example: 'xpath "string(//title)"' }],
  ['regex', { names: ['a pattern'], example: 'regex "id=(\\d+)"' }],
  ['replace', { names: ['the text to replace', 'its replacement'], example: 'replace "," ";"' }],
  ['replaceRegex', { names: ['a pattern', 'its replacement'], example: 'replaceRegex "\\d" "x"' }],
  ['split', { names: ['a separator'], example: 'split ","' }],
  ['urlQueryParam', { names: ['a parameter name'], example: 'urlQueryParam "code"' }],
]);

/** Lowercased spelling → filter. */
export const FILTER_WORDS = new Map<string, Kind>([
  ...PLAIN.map((kind) => [kind.toLowerCase(), kind] as [string, Kind]),
  ...[...ARGUMENTS.keys()].map((kind) => [kind.toLowerCase(), kind] as [string, Kind]),
  ['length', 'count'],
  ['format', 'dateFormat'],
]);

/** Filters whose argument is a pattern, which may be written between slashes with spaces inside (`regex /Hello (.*)!/`). */
export const PATTERN_FILTERS = new Set(['regex', 'replaceregex']);

// Code-unit order, not localeCompare: the first localeCompare loads ICU's collator (about 14 ms
// at every start-up); the names are ASCII and start in lower case, so the order is the same.
export const FILTER_NAMES = [...PLAIN, ...ARGUMENTS.keys()].sort().join(', ');

/**
 * Why a chain of words is not a filter chain. `unknown` means a word is no filter at all (so the
 * words may belong to the query's argument instead); `argument` means a filter was named but its
 * argument is missing or wrong, which is the writer's mistake to report.
 */
export interface FilterError {
  kind: 'unknown' | 'argument';
  error: string;
  column: number;
}

/** Reads `words` (all of them) as a chain of filters. */
export function parseFilters(words: readonly Token[], source: string): { filters: Filter[] } | FilterError {
  const filters: Filter[] = [];
  let index = 0;
  while (index < words.length) {
    const word = words[index] as Token;
    const kind = FILTER_WORDS.get(word.text.toLowerCase());
    if (kind === undefined) {
      return { kind: 'unknown', error: `unknown filter "${word.text}": expected one of ${FILTER_NAMES}`, column: word.start + 1 };
    }
    const spec = ARGUMENTS.get(kind);
    const count = spec?.names.length ?? 0;
    const args = words.slice(index + 1, index + 1 + count);
    if (spec !== undefined && args.length < count) {
      const missing = spec.names[args.length] as string;
      const after = args[args.length - 1] ?? word;
      return { kind: 'argument', error: `"${word.text}" needs ${missing} after it (e.g. ${spec.example})`, column: after.end + 1 };
    }
    const built = buildFilter(kind, word, args, source);
    if ('error' in built) return built;
    filters.push(built.filter);
    index += 1 + count;
  }
  return { filters };
}

function buildFilter(kind: Kind, word: Token, args: readonly Token[], source: string): { filter: Filter } | FilterError {
  const first = args[0] as Token;
  const text = (token: Token) => unquote(token.text);
  const fail = (error: string, at: Token = first): FilterError => ({ kind: 'argument', error, column: at.start + 1 });
  switch (kind) {
    case 'nth': {
      if (!/^-?\d+$/.test(first.text)) return fail(`"${word.text}" needs an integer index (e.g. nth 0 or nth -1), found "${first.text}"`);
      return { filter: { kind, index: Number(first.text) } };
    }
    case 'decode': {
      const charset = text(first);
      try {
        new TextDecoder(charset);
      } catch {
        return fail(`unknown encoding "${charset}" for decode (expected a WHATWG label such as "utf-8", "iso-8859-1", "gb2312", "shift_jis")`);
      }
      return { filter: { kind, charset } };
    }
    case 'dateFormat':
    case 'toDate': {
      const format = text(first);
      const checked = formatDate(new Date(0), format);
      if ('error' in checked) return fail(checked.error);
      return { filter: { kind, format } };
    }
    case 'jsonpath': {
      const path = text(first);
      const compiled = compileJsonPath(path);
      if ('error' in compiled) return { kind: 'argument', error: compiled.error, column: first.start + 1 + (first.text === path ? compiled.index : 1) };
      return { filter: { kind, path, compiled: compiled.compiled } };
    }
    case 'xpath': {
      const expression = text(first);
      const compiled = compileXPath(expression);
      if ('error' in compiled) return fail(compiled.error);
      return { filter: { kind, expression, compiled: compiled.compiled } };
    }
    case 'regex':
    case 'replaceRegex': {
      const written = source.slice(first.start, first.end);
      const parsed = parsePattern(written.startsWith('"') ? unquote(written) : written);
      if ('error' in parsed) return fail(parsed.error);
      // replaceRegex replaces every match, as Hurl does.
      const pattern = kind === 'replaceRegex' && !parsed.pattern.flags.includes('g') ? new RegExp(parsed.pattern.source, `${parsed.pattern.flags}g`) : parsed.pattern;
      return kind === 'regex' ? { filter: { kind, pattern } } : { filter: { kind, pattern, replacement: text(args[1] as Token) } };
    }
    case 'replace':
      return { filter: { kind, old: text(first), replacement: text(args[1] as Token) } };
    case 'split':
      return { filter: { kind, separator: text(first) } };
    case 'urlQueryParam':
      return { filter: { kind, name: text(first) } };
    default:
      return { filter: { kind } as Filter };
  }
}

/** `"Content-Type"` → `Content-Type` (JSON string rules, leniently: `"\d+"` keeps its backslash). */
export function unquote(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    try {
      return JSON.parse(text) as string;
    } catch {
      return text.slice(1, -1).replace(/\\"/g, '"');
    }
  }
  return text;
}
