import { decodeBody } from './body-view.js';
import { parseJson } from './parse-json.js';
import { headerValues, type ResponseView } from './response-view.js';
import type { Selection } from './run-query.js';

/**
 * Finds the value a singular JSONPath (`$.a.b[0]['c']`) selects in a JSON document without
 * parsing the document: one validating pass over the bytes that keeps nothing but the matched
 * value's offsets. For large bodies (hundreds of MB) a full parse costs several times the body in
 * memory; this costs none. Whatever it cannot answer exactly (other path forms, invalid JSON,
 * nesting deeper than it tracks) comes back as null, and the caller parses the whole body instead,
 * which also gives the precise error message.
 */

export type PathSegment = string | number;

/** Bodies from this size on are searched rather than parsed when the path allows it. */
export const SCAN_FROM_BYTES = 8 * 1024 * 1024;

/**
 * `?? body $.a.b` on a large UTF-8 body: the selected value parsed alone (big integers exact, as
 * everywhere), or null when the body is small, the path not singular or the scan inconclusive.
 */
export function selectFromLargeBody(path: string, view: ResponseView): Selection | null {
  const bytes = view.exchange.response.body;
  if (bytes === null || bytes.length < SCAN_FROM_BYTES) return null;
  const contentType = headerValues(view.exchange.response.headers, 'content-type')[0] ?? null;
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) return null;
  const segments = singularSegments(path);
  if (segments === null) return null;
  const outcome = scanJsonPath(bytes, segments);
  if (outcome === null) return null;
  if (outcome === 'absent') return { nodes: [], multi: false };
  const parsed = parseJson(decodeBody(bytes.subarray(outcome.start, outcome.end), contentType));
  if ('error' in parsed) return null;
  return { nodes: [parsed.value], multi: false };
}

/** `{ start, end }` byte offsets of the selected value, `'absent'` when nothing matches, null when the caller must parse. */
export type ScanOutcome = { start: number; end: number } | 'absent' | null;

const SHORTHAND = /^\.([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)/;
const BRACKET = /^\[\s*(?:'([^'\\]*)'|"([^"\\]*)"|(0|[1-9]\d{0,8}))\s*\]/;

/** The segments of a path made only of names and non-negative indices; null for any other form. */
export function singularSegments(path: string): PathSegment[] | null {
  if (!path.startsWith('$')) return null;
  const segments: PathSegment[] = [];
  let rest = path.slice(1);
  while (rest !== '') {
    const shorthand = SHORTHAND.exec(rest);
    if (shorthand) {
      segments.push(shorthand[1]!);
      rest = rest.slice(shorthand[0].length);
      continue;
    }
    const bracket = BRACKET.exec(rest);
    if (!bracket) return null;
    segments.push(bracket[3] !== undefined ? Number(bracket[3]) : (bracket[1] ?? bracket[2])!);
    rest = rest.slice(bracket[0].length);
  }
  return segments;
}

interface Frame {
  array: boolean;
  /** Offset of `{` / `[`, for when the container itself is the selected value. */
  start: number;
  selected: boolean;
  /** All enclosing members matched the path so far (its members are addressed by segment[depth]). */
  onPath: boolean;
  index: number;
  /** The current member's key equals the segment for this depth. */
  keyMatches: boolean;
}

const enum Byte {
  Tab = 0x09,
  Newline = 0x0a,
  Return = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

const MAX_DEPTH = 10_000;

/**
 * Validates the whole document (as JSON.parse would) while looking for the value at `segments`.
 * As with JSON.parse, a key that appears twice selects its last value.
 */
export function scanJsonPath(bytes: Buffer, segments: readonly PathSegment[]): ScanOutcome {
  const names = segments.map((segment) => (typeof segment === 'string' ? Buffer.from(segment, 'utf8') : null));
  const n = bytes.length;
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const stack: Frame[] = [];
  let found: { start: number; end: number } | null = null;

  const skipSpace = () => {
    while (i < n) {
      const c = bytes[i];
      if (c !== Byte.Space && c !== Byte.Newline && c !== Byte.Return && c !== Byte.Tab) return;
      i++;
    }
  };
  // Is the value about to start inside the top frame the selected one?
  const selectsNext = (): boolean => {
    const depth = stack.length - 1;
    if (depth < 0) return segments.length === 0;
    const top = stack[depth]!;
    if (!top.onPath || depth !== segments.length - 1) return false;
    return top.array ? top.index === segments[depth] : top.keyMatches;
  };
  const childOnPath = (): boolean => {
    const depth = stack.length - 1;
    if (depth < 0) return segments.length > 0;
    const top = stack[depth]!;
    if (!top.onPath || depth >= segments.length - 1) return false;
    return top.array ? top.index === segments[depth] : top.keyMatches;
  };

  for (;;) {
    // A value.
    skipSpace();
    if (i >= n) return null;
    const start = i;
    const selected = selectsNext();
    const c = bytes[i]!;
    if (c === Byte.OpenBrace || c === Byte.OpenBracket) {
      if (stack.length >= MAX_DEPTH) return null;
      const frame: Frame = { array: c === Byte.OpenBracket, start, selected, onPath: childOnPath(), index: 0, keyMatches: false };
      stack.push(frame);
      i++;
      skipSpace();
      if (bytes[i] === (frame.array ? Byte.CloseBracket : Byte.CloseBrace)) {
        i++;
        stack.pop();
        if (selected) found = { start, end: i };
      } else if (frame.array) {
        continue;
      } else if (!readKey(frame, stack.length - 1)) {
        return null;
      } else {
        continue;
      }
    } else {
      const end = c === Byte.Quote ? skipString(bytes, i) : c === Byte.Minus || (c >= Byte.Zero && c <= Byte.Nine) ? skipNumber(bytes, i) : skipLiteral(bytes, i);
      if (end < 0) return null;
      i = end;
      if (selected) found = { start, end };
    }
    // After a value: `,` for the next member, or the end of one or more containers.
    for (;;) {
      skipSpace();
      const top = stack[stack.length - 1];
      if (top === undefined) return i === n ? (found ?? 'absent') : null;
      const next = bytes[i];
      if (next === Byte.Comma) {
        i++;
        if (top.array) top.index++;
        else if (!readKey(top, stack.length - 1)) return null;
        break;
      }
      if (next !== (top.array ? Byte.CloseBracket : Byte.CloseBrace)) return null;
      i++;
      stack.pop();
      if (top.selected) found = { start: top.start, end: i };
    }
  }

  // `"key"` `:` — leaves i at the member's value.
  function readKey(frame: Frame, depth: number): boolean {
    skipSpace();
    if (bytes[i] !== Byte.Quote) return false;
    const end = skipString(bytes, i);
    if (end < 0) return false;
    frame.keyMatches = frame.onPath && depth < segments.length && keyEquals(bytes, i + 1, end - 1, names[depth] ?? null, segments[depth]);
    i = end;
    skipSpace();
    if (bytes[i] !== Byte.Colon) return false;
    i++;
    return true;
  }
}

function keyEquals(bytes: Buffer, from: number, to: number, name: Buffer | null, segment: PathSegment | undefined): boolean {
  if (name === null || typeof segment !== 'string') return false;
  if (bytes.subarray(from, to).includes(Byte.Backslash)) {
    return (JSON.parse(bytes.toString('utf8', from - 1, to + 1)) as string) === segment;
  }
  return to - from === name.length && name.compare(bytes, from, to) === 0;
}

/** Offset after the closing quote, or -1 when the string is not valid JSON. */
function skipString(bytes: Buffer, at: number): number {
  const n = bytes.length;
  let i = at + 1;
  while (i < n) {
    const c = bytes[i]!;
    if (c === Byte.Quote) return i + 1;
    if (c < Byte.Space) return -1;
    if (c === Byte.Backslash) {
      const escaped = bytes[i + 1];
      if (escaped === 0x75) {
        for (let k = i + 2; k < i + 6; k++) if (!isHex(bytes[k])) return -1;
        i += 6;
      } else if (escaped === Byte.Quote || escaped === Byte.Backslash || escaped === 0x2f || escaped === 0x62 || escaped === 0x66 || escaped === 0x6e || escaped === 0x72 || escaped === 0x74) {
        i += 2;
      } else {
        return -1;
      }
    } else {
      i++;
    }
  }
  return -1;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= Byte.Zero && c <= Byte.Nine) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

/** `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`: the offset after it, or -1. */
function skipNumber(bytes: Buffer, at: number): number {
  let i = at;
  const digit = () => bytes[i] !== undefined && bytes[i]! >= Byte.Zero && bytes[i]! <= Byte.Nine;
  if (bytes[i] === Byte.Minus) i++;
  if (bytes[i] === Byte.Zero) i++;
  else if (digit()) while (digit()) i++;
  else return -1;
  if (bytes[i] === Byte.Dot) {
    i++;
    if (!digit()) return -1;
    while (digit()) i++;
  }
  if (bytes[i] === 0x65 || bytes[i] === 0x45) {
    i++;
    if (bytes[i] === Byte.Plus || bytes[i] === Byte.Minus) i++;
    if (!digit()) return -1;
    while (digit()) i++;
  }
  return i;
}

const LITERALS = [Buffer.from('true'), Buffer.from('false'), Buffer.from('null')];

function skipLiteral(bytes: Buffer, at: number): number {
  for (const literal of LITERALS) {
    const end = at + literal.length;
    if (bytes[at] === literal[0] && end <= bytes.length && literal.compare(bytes, at, end) === 0) return end;
  }
  return -1;
}
