import { compileJsonPath, type CompiledJsonPath } from './compile-json-path.js';
import { compileXPath, type CompiledXPath } from './xpath-query.js';
import { parsePattern } from './parse-pattern.js';
import { FILTER_NAMES, FILTER_WORDS, PATTERN_FILTERS, parseFilters, unquote, type Filter, type FilterError, type Token } from './parse-filters.js';
import { propertyPathToJsonPath } from './property-path.js';

export type { Filter } from './parse-filters.js';

/**
 * Hurl's cookie attributes, spelled as Hurl spells them: `cookie SID[Max-Age]` (or Hurl's quoted
 * `cookie "SID[Max-Age]"`); matched case-insensitively. `Secure` and `HttpOnly` are `true` when
 * set and match nothing otherwise, so both `exists` and `== true` read naturally.
 */
export type CookieAttribute = 'Value' | 'Expires' | 'Max-Age' | 'Domain' | 'Path' | 'Secure' | 'HttpOnly' | 'SameSite';

export const COOKIE_ATTRIBUTES: readonly CookieAttribute[] = ['Value', 'Expires', 'Max-Age', 'Domain', 'Path', 'Secure', 'HttpOnly', 'SameSite'];

/**
 * Hurl's certificate attributes, spelled as Hurl spells them (`certificate "Expire-Date"`); matched
 * case-insensitively. `Subject-Alt-Name` and `Value` (the PEM text) came with Hurl 8.
 */
export type CertificateAttribute = 'Subject' | 'Issuer' | 'Start-Date' | 'Expire-Date' | 'Serial-Number' | 'Subject-Alt-Name' | 'Value';

export const CERTIFICATE_ATTRIBUTES: readonly CertificateAttribute[] = ['Subject', 'Issuer', 'Start-Date', 'Expire-Date', 'Serial-Number', 'Subject-Alt-Name', 'Value'];

export type Query =
  | { kind: 'status' }
  | { kind: 'duration' }
  /** Body length in bytes: `?? bytes == 1234` (and Hurl's `bytes count == 1234`). */
  | { kind: 'bytes' }
  | { kind: 'sha256' }
  | { kind: 'md5' }
  | { kind: 'url' }
  /** `1.1` or `2`. */
  | { kind: 'version' }
  /** The URLs redirected through, as a list (`?? redirects count == 1`). */
  | { kind: 'redirects' }
  | { kind: 'header'; name: string }
  | { kind: 'cookie'; name: string; attribute: CookieAttribute }
  /** The whole body, charset-decoded. */
  | { kind: 'body' }
  /**
   * JSONPath on the body. `lengthOf` is set for httpyac property paths ending in `length`
   * (`?? body length == 2`, `?? body items.length == 3`): when `length` is not a property, the
   * length of the list or string it follows is meant, as in the JavaScript httpyac evaluates.
   */
  | { kind: 'jsonpath'; path: string; compiled: CompiledJsonPath; lengthOf: CompiledJsonPath | null }
  | { kind: 'xpath'; expression: string; compiled: CompiledXPath }
  | { kind: 'regex'; pattern: RegExp }
  /** An attribute of the server's TLS certificate; dates are dates (`daysAfterNow`), the rest text. */
  | { kind: 'certificate'; attribute: CertificateAttribute }
  /** The IP address of the connection's peer (the server, or the proxy), as text. */
  | { kind: 'ip' };

export type Predicate =
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'contains'
  | 'startsWith'
  | 'endsWith'
  | 'matches'
  | 'exists'
  | 'isEmpty'
  | 'isNumber'
  | 'isInteger'
  | 'isFloat'
  | 'isString'
  | 'isBoolean'
  | 'isArray'
  | 'isObject'
  | 'isNull'
  | 'isIsoDate'
  | 'isUuid'
  | 'isTrue'
  | 'isFalse'
  | 'isCollection'
  | 'isDate'
  | 'isIpv4'
  | 'isIpv6'
  | 'matchesSchema'
  | 'sha256'
  | 'md5'
  | 'sha512';

export interface Assertion {
  /** The source as given (the text after `??`). */
  source: string;
  /** The query and its filters as written (`body $.tags count`), for messages. */
  queryText: string;
  query: Query;
  filters: Filter[];
  not: boolean;
  predicate: Predicate;
  /** The predicate word as written (`includes`, `equals` ...). */
  predicateText: string;
  /** The rest of the line after the predicate, trimmed; "" for predicates that take no value. */
  expected: string;
  /** Compiled `matches` pattern. */
  pattern: RegExp | null;
}

/**
 * `skip`: another tool's assertion that httprun knows and does not run (httpyac's `?? js ...`): a
 * warning, not an error, so that the file's other requests and assertions still run (SPEC §3).
 */
export type ParseAssertionResult = { assertion: Assertion } | { error: string; column: number } | { skip: string; column: number };

// Lowercased spelling → predicate. httpyac's aliases (`equals`, `includes`, `isTrue`, `isFalse`,
// `sha256`/`md5`/`sha512` as predicates) sit beside Hurl's.
const PREDICATES = new Map<string, Predicate>([
  ['==', '=='],
  ['===', '=='],
  ['equals', '=='],
  ['!=', '!='],
  ['!==', '!='],
  ['<', '<'],
  ['<=', '<='],
  ['>', '>'],
  ['>=', '>='],
  ['contains', 'contains'],
  ['includes', 'contains'],
  ['startswith', 'startsWith'],
  ['endswith', 'endsWith'],
  ['matches', 'matches'],
  ['exists', 'exists'],
  ['isempty', 'isEmpty'],
  ['isnumber', 'isNumber'],
  ['isinteger', 'isInteger'],
  ['isfloat', 'isFloat'],
  ['isstring', 'isString'],
  ['isboolean', 'isBoolean'],
  ['isarray', 'isArray'],
  ['islist', 'isArray'],
  ['isobject', 'isObject'],
  ['isnull', 'isNull'],
  ['isisodate', 'isIsoDate'],
  ['isuuid', 'isUuid'],
  ['istrue', 'isTrue'],
  ['isfalse', 'isFalse'],
  ['iscollection', 'isCollection'],
  ['isdate', 'isDate'],
  ['isipv4', 'isIpv4'],
  ['isipv6', 'isIpv6'],
  // Hurl's word forms of the operators.
  ['notequals', '!='],
  ['greaterthan', '>'],
  ['greaterthanorequals', '>='],
  ['lessthan', '<'],
  ['lessthanorequals', '<='],
  ['matchesschema', 'matchesSchema'],
  ['sha256', 'sha256'],
  ['md5', 'md5'],
  ['sha512', 'sha512'],
]);

const UNARY: ReadonlySet<Predicate> = new Set<Predicate>([
  'exists', 'isEmpty', 'isNumber', 'isInteger', 'isFloat', 'isString', 'isBoolean', 'isArray', 'isObject', 'isNull',
  'isIsoDate', 'isUuid', 'isTrue', 'isFalse', 'isCollection', 'isDate', 'isIpv4', 'isIpv6',
]);

/** Queries without an argument; any words between them and the predicate must be filters. */
const PLAIN_QUERIES = new Set(['status', 'duration', 'bytes', 'sha256', 'md5', 'url', 'version', 'redirects', 'ip']);
const ARGUMENT_QUERIES = new Set(['header', 'cookie', 'body', 'jsonpath', 'xpath', 'regex', 'certificate']);

type TokenResult = { token: Token | null } | { error: string; column: number };

const CLOSERS: Record<string, string> = { '[': ']', '(': ')', '{': '}' };

/**
 * The next whitespace-separated word from `from`. Brackets, parentheses, braces and quotes
 * group (a JSONPath filter or an XPath predicate may hold spaces); a backslash escapes the next
 * character, so regex patterns such as `\[(\d+)\]` do not open groups. A single quote groups only
 * where a string literal can start (start of a word, or inside brackets), so `don't` stays a word;
 * a quote that never closes is an ordinary character.
 */
function nextToken(source: string, from: number): TokenResult {
  let index = from;
  while (index < source.length && isSpace(source.charCodeAt(index))) index += 1;
  if (index >= source.length) return { token: null };
  const start = index;
  const open: { char: string; at: number }[] = [];
  while (index < source.length) {
    const code = source.charCodeAt(index);
    if (open.length === 0 && isSpace(code)) break;
    // Letters, digits and most punctuation neither group nor escape: the common case, decided by code.
    if (code !== 0x5c && code !== 0x22 && code !== 0x27 && !isBracket(code)) {
      index += 1;
      continue;
    }
    const char = source[index] ?? '';
    if (char === '\\') {
      index += 2;
      continue;
    }
    if (char === '"' || (char === "'" && (index === start || open.length > 0))) {
      // A quote that never closes is a plain character (a bare regex may hold one: `regex "id": (\d+)`).
      const close = findQuoteEnd(source, index);
      index = close === -1 ? index + 1 : close + 1;
      continue;
    }
    if (char in CLOSERS) open.push({ char, at: index });
    else if (open.length > 0 && CLOSERS[open[open.length - 1]?.char ?? ''] === char) open.pop();
    index += 1;
  }
  const unclosed = open[open.length - 1];
  if (unclosed !== undefined) {
    return { error: `unclosed "${unclosed.char}" (opened at column ${unclosed.at + 1})`, column: unclosed.at + 1 };
  }
  return { token: { text: source.slice(start, index), start, end: Math.min(index, source.length) } };
}

/**
 * A `/pattern/flags` word from `from` (after spaces): up to the first unescaped `/` outside a
 * character class that is followed by flags and then a space or the end. Null when there is none.
 */
function slashPattern(source: string, from: number): Token | null {
  let start = from;
  while (start < source.length && isSpace(source.charCodeAt(start))) start += 1;
  if (source[start] !== '/') return null;
  let inClass = false;
  for (let index = start + 1; index < source.length; index += 1) {
    const char = source[index];
    if (char === '\\') index += 1;
    else if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    else if (char === '/' && !inClass) {
      let end = index + 1;
      while (end < source.length && /[a-z]/.test(source[end] as string)) end += 1;
      if (end === source.length || isSpace(source.charCodeAt(end))) return { text: source.slice(start, end), start, end };
    }
  }
  return null;
}

/** What /\s/ matches, without a regex per character (an assertion is read character by character). */
function isSpace(code: number): boolean {
  if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) return true;
  if (code < 0x80) return false;
  return /\s/.test(String.fromCharCode(code));
}

/** ( ) [ ] { } */
function isBracket(code: number): boolean {
  return code === 0x28 || code === 0x29 || code === 0x5b || code === 0x5d || code === 0x7b || code === 0x7d;
}

function findQuoteEnd(source: string, open: number): number {
  const quote = source[open];
  for (let index = open + 1; index < source.length; index += 1) {
    if (source[index] === '\\') index += 1;
    else if (source[index] === quote) return index;
  }
  return -1;
}

const QUERY_NAMES = 'status, header, cookie, body, jsonpath, xpath, regex, duration, bytes, sha256, md5, url, version, redirects, certificate or ip';

/**
 * Parse the text after `??` (variables already substituted): `<query> [argument] [filters]
 * [not] <predicate> [expected]`. The first predicate word outside brackets, parentheses and
 * quotes ends the query (SPEC §7); the rest of the line is the expected value. Columns in errors
 * are 1-based offsets into `source`.
 */
export function parseAssertion(source: string): ParseAssertionResult {
  let found = parsed.get(source);
  if (found === undefined) {
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    found = parseUncached(source);
    parsed.set(source, found);
  }
  return found;
}

// The static pass and every run of a request parse the same rendered text again (`status == 200`
// a thousand times in a file). A parsed assertion is never mutated (regex users reset lastIndex),
// so one per distinct text serves them all.
const parsed = new Map<string, ParseAssertionResult>();
const PARSED_LIMIT = 5000;

function parseUncached(source: string): ParseAssertionResult {
  const read = readWords(source);
  if ('error' in read) return read;
  const { tokens, predicateToken } = read;
  // Without a predicate the query part is always an error (or a skipped `js`): nothing to share.
  if (predicateToken === null) return parseQueryPart(source, tokens, null) as Exclude<QueryPart, { query: Query }>;
  // `body $.id == 1`, `body $.id == 2` ...: texts that agree up to the predicate share its reading
  // (filters parsed, JSONPath compiled once); only the expected value is read per text.
  const head = source.slice(0, predicateToken.end);
  let part = queryParts.get(head);
  if (part === undefined) {
    if (queryParts.size >= PARSED_LIMIT) queryParts.clear();
    part = parseQueryPart(head, tokens, predicateToken);
    queryParts.set(head, part);
  }
  if (!('query' in part)) return part;

  const predicate = PREDICATES.get(predicateToken.text.toLowerCase()) as Predicate;
  const expectedStart = predicateToken.end + (source.slice(predicateToken.end).length - source.slice(predicateToken.end).trimStart().length);
  const expected = source.slice(predicateToken.end).trim();
  if (UNARY.has(predicate) && expected !== '') {
    return { error: `"${predicateToken.text}" takes no value, found "${expected}"`, column: expectedStart + 1 };
  }
  if (!UNARY.has(predicate) && predicate !== '==' && predicate !== '!=' && expected === '') {
    return { error: `"${predicateToken.text}" needs a value after it`, column: predicateToken.end + 1 };
  }
  let pattern: RegExp | null = null;
  if (predicate === 'matches') {
    // Hurl writes `matches "^\\d+$"`: a quoted pattern is the string it denotes (SPEC §7's quoted rule).
    const parsed = parsePattern(unquote(expected));
    if ('error' in parsed) return { error: parsed.error, column: expectedStart + 1 };
    pattern = parsed.pattern;
  }

  return {
    assertion: {
      source,
      queryText: part.queryText,
      query: part.query,
      filters: part.filters,
      not: part.not,
      predicate,
      predicateText: predicateToken.text,
      expected,
      pattern,
    },
  };
}

/**
 * The words before the predicate, and the predicate word (null when there is none). Two texts that
 * agree up to the end of their predicate word read the same words: no word reaches past its end.
 */
function readWords(source: string): { tokens: Token[]; predicateToken: Token | null } | { error: string; column: number } {
  const tokens: Token[] = [];
  let predicateToken: Token | null = null;
  let position = 0;
  for (;;) {
    // After `regex` / `replaceRegex`, a /pattern/ is one word even with spaces inside (Hurl's `regex /Hello (.*)!/`).
    const previous = tokens[tokens.length - 1];
    const slashed = previous !== undefined && PATTERN_FILTERS.has(previous.text.toLowerCase()) ? slashPattern(source, position) : null;
    const next = slashed !== null ? { token: slashed } : nextToken(source, position);
    if ('error' in next) return next;
    if (next.token === null) break;
    position = next.token.end;
    if (tokens.length > 0 && PREDICATES.has(next.token.text.toLowerCase())) {
      predicateToken = next.token;
      break;
    }
    tokens.push(next.token);
  }
  return { tokens, predicateToken };
}

/** What a text up to its predicate says: the query, its filters and `not`; or why it says nothing. */
type QueryPart = { query: Query; filters: Filter[]; not: boolean; queryText: string } | { error: string; column: number } | { skip: string; column: number };

const queryParts = new Map<string, QueryPart>();

/**
 * The query, its argument and filters, from the words before the predicate. `source` is the text
 * up to the predicate word when there is one (the rest is never read), else the whole text.
 */
function parseQueryPart(source: string, tokens: readonly Token[], predicateToken: Token | null): QueryPart {
  const queryToken = tokens[0];
  if (queryToken === undefined) {
    return { error: `empty assertion: expected a query such as "status == 200" after ??`, column: source.length + 1 };
  }
  const queryName = queryToken.text.toLowerCase();
  if (queryName === 'js' || queryName === 'javascript') {
    return {
      skip: 'JavaScript assertions (?? js ...) are not run: httprun never evaluates code from a request file, so this one is skipped; use a query instead, e.g. "?? body items[0].name == x"',
      column: queryToken.start + 1,
    };
  }
  if (!PLAIN_QUERIES.has(queryName) && !ARGUMENT_QUERIES.has(queryName)) {
    return { error: `unknown query "${queryToken.text}": expected ${QUERY_NAMES}`, column: queryToken.start + 1 };
  }

  let words = tokens.slice(1);
  let not = false;
  if (predicateToken !== null && words[words.length - 1]?.text.toLowerCase() === 'not') {
    not = true;
    words = words.slice(0, -1);
  }

  // The filter chain starts at the first word (after the query's argument) from which every
  // remaining word reads as filters and their arguments; the words before it are the argument.
  const keep = ARGUMENT_QUERIES.has(queryName) ? 1 : 0;
  let filters: Filter[] = [];
  let chainError: FilterError | null = null;
  for (let start = keep; start < words.length; start += 1) {
    if (!FILTER_WORDS.has((words[start] as Token).text.toLowerCase())) continue;
    const chain = parseFilters(words.slice(start), source);
    if ('filters' in chain) {
      filters = chain.filters;
      words = words.slice(0, start);
      break;
    }
    if (chain.kind === 'argument') {
      chainError = chain;
      break;
    }
  }
  if (chainError !== null) return { error: chainError.error, column: chainError.column };

  if (PLAIN_QUERIES.has(queryName) && words.length > 0) {
    const extra = words[0] as Token;
    // `status = 200`: a mistyped `==`, which the hint replaces rather than adds to.
    const rest = source.slice(extra.start + (extra.text === '=' ? 1 : 0)).trim();
    const hint = predicateToken === null && !FILTER_WORDS.has(extra.text.toLowerCase()) ? ` (did you mean "${queryToken.text} == ${rest}"?)` : '';
    if (predicateToken !== null && !FILTER_WORDS.has(extra.text.toLowerCase())) {
      return { error: `unknown filter "${extra.text}" after "${queryToken.text}": expected a predicate such as == or one of the filters ${FILTER_NAMES}`, column: extra.start + 1 };
    }
    return { error: `expected a predicate such as == after "${queryToken.text}", found "${extra.text}"${hint}`, column: extra.start + 1 };
  }
  if (ARGUMENT_QUERIES.has(queryName) && words.length === 0 && queryName !== 'body') {
    return { error: `"${queryToken.text}" needs ${ARGUMENT_NAMES[queryName] ?? 'an argument'} before the predicate`, column: queryToken.end + 1 };
  }

  const lastQueryToken = tokens[tokens.length - 1] as Token;
  if (predicateToken === null) {
    return {
      error: `expected a predicate (==, !=, <, contains, matches, exists ...) after "${source.slice(queryToken.start, lastQueryToken.end)}"`,
      column: lastQueryToken.end + 1,
    };
  }

  const firstWord = words[0];
  const lastWord = words[words.length - 1];
  const argumentStart = firstWord?.start ?? queryToken.end;
  const argument = firstWord === undefined || lastWord === undefined ? null : unquote(source.slice(firstWord.start, lastWord.end));
  const query = buildQuery(queryName, argument, argumentStart);
  if ('error' in query) return query;

  const queryEnd = (not ? tokens[tokens.length - 2] : lastQueryToken) ?? lastQueryToken;
  return { query: query.query, filters, not, queryText: source.slice(queryToken.start, queryEnd.end) };
}

const ARGUMENT_NAMES: Record<string, string> = {
  header: 'a header name (e.g. "header content-type includes json")',
  cookie: 'a cookie name (e.g. "cookie SESSION exists")',
  jsonpath: 'a JSONPath (e.g. "jsonpath $.id == 3")',
  xpath: 'an XPath expression (e.g. "xpath /status/text == ok")',
  regex: 'a pattern (e.g. "regex id=(\\d+) == 42")',
  certificate: `an attribute (one of ${CERTIFICATE_ATTRIBUTES.join(', ')}; e.g. certificate "Expire-Date" daysAfterNow > 30)`,
};

function buildQuery(name: string, argument: string | null, column0: number): { query: Query } | { error: string; column: number } {
  const at = column0 + 1;
  switch (name) {
    case 'status':
    case 'duration':
    case 'bytes':
    case 'sha256':
    case 'md5':
    case 'url':
    case 'version':
    case 'redirects':
    case 'ip':
      return { query: { kind: name } };
    case 'certificate': {
      const attribute = CERTIFICATE_ATTRIBUTES.find((known) => known.toLowerCase() === argument?.toLowerCase());
      if (attribute === undefined) {
        return { error: `unknown certificate attribute "${argument}": expected ${CERTIFICATE_ATTRIBUTES.join(', ')}`, column: at };
      }
      return { query: { kind: 'certificate', attribute } };
    }
    case 'header':
      return { query: { kind: 'header', name: argument ?? '' } };
    case 'cookie': {
      const match = /^([^[\]]+?)(?:\[([^\]]*)\])?$/.exec(argument ?? '');
      if (match === null) return { error: `expected a cookie as NAME or NAME[Attribute], found "${argument}"`, column: at };
      const attribute = match[2] === undefined ? 'Value' : COOKIE_ATTRIBUTES.find((known) => known.toLowerCase() === match[2]?.toLowerCase());
      if (attribute === undefined) {
        return { error: `unknown cookie attribute "${match[2]}": expected ${COOKIE_ATTRIBUTES.join(', ')}`, column: at };
      }
      return { query: { kind: 'cookie', name: match[1] ?? '', attribute } };
    }
    case 'body':
      if (argument === null) return { query: { kind: 'body' } };
      if (argument.startsWith('$')) return jsonPathQuery(argument, null, at);
      if (argument.startsWith('/')) return xpathQuery(argument, at);
      return propertyPathQuery(argument, at);
    case 'jsonpath':
      return jsonPathQuery(argument ?? '', null, at);
    case 'xpath':
      return xpathQuery(argument ?? '', at);
    case 'regex': {
      const parsed = parsePattern(argument ?? '');
      if ('error' in parsed) return { error: parsed.error, column: at };
      return { query: { kind: 'regex', pattern: parsed.pattern } };
    }
    default:
      throw new Error(`query "${name}" is listed but not built`);
  }
}

function compileJsonPathAt(path: string, at: number): { compiled: CompiledJsonPath } | { error: string; column: number } {
  const compiled = compileJsonPath(path);
  return 'error' in compiled ? { error: compiled.error, column: at + compiled.index } : compiled;
}

function jsonPathQuery(path: string, lengthOf: CompiledJsonPath | null, at: number): { query: Query } | { error: string; column: number } {
  const compiled = compileJsonPathAt(path, at);
  if ('error' in compiled) return compiled;
  return { query: { kind: 'jsonpath', path, compiled: compiled.compiled, lengthOf } };
}

function propertyPathQuery(argument: string, at: number): { query: Query } | { error: string; column: number } {
  const converted = propertyPathToJsonPath(argument);
  if ('error' in converted) return { error: converted.error, column: at + converted.offset };
  let lengthOf: CompiledJsonPath | null = null;
  if (converted.parent !== null && converted.last === 'length') {
    const parent = compileJsonPathAt(converted.parent, at);
    if ('error' in parent) return parent;
    lengthOf = parent.compiled;
  }
  return jsonPathQuery(converted.path, lengthOf, at);
}

function xpathQuery(expression: string, at: number): { query: Query } | { error: string; column: number } {
  const compiled = compileXPath(expression);
  if ('error' in compiled) return { error: compiled.error, column: at };
  return { query: { kind: 'xpath', expression, compiled: compiled.compiled } };
}
