import { tryStructuredLines } from './grammar.js';

/**
 * What one line of a .http file is, before knowing where it stands. parse.ts decides what a class
 * means in its state: `< file` is a pre-request script file before the request line and a file
 * part inside a body; an `other` line is a request line, a header or body text.
 *
 * Two steps. Anchored regular expressions look at how each line starts (a file's every line
 * passes here, and V8's regex engine reads text an order of magnitude faster than a peggy rule):
 * that settles blank lines, comments, scripts, the response tail and body-file lines (a marker
 * and the rest of the line) and body text, and picks the candidates for the lines with
 * structure: file variables and metadata. Those are then read by the grammar
 * (grammar/http.peggy, `StructuredLines`), all of a file's in one call. Columns are 0-based
 * offsets into the line.
 */
export type LineClass =
  | { type: 'blank' }
  | { type: 'metadata'; key: string; keyStart: number; value: string; valueStart: number }
  | { type: 'comment' }
  | { type: 'variable'; name: string; nameStart: number; value: string; valueStart: number; lazy: boolean }
  | { type: 'block-comment'; start: number; closed: boolean }
  | { type: 'script-block' }
  | { type: 'pre-script'; code: string; closed: boolean }
  | { type: 'post-script'; code: string; closed: boolean }
  | ({ type: 'response-ref' } & Piece)
  | ({ type: 'file'; substitute: boolean; encoding: string | null } & Piece)
  | ({ type: 'save'; overwrite: boolean } & Piece)
  | ({ type: 'post-script-file' } & Piece)
  | ({ type: 'assertion' } & Piece)
  | ({ type: 'import' } & Piece)
  | ({ type: 'run' } & Piece)
  | ({ type: 'proto' } & Piece)
  | { type: 'status' }
  /** Anything else: a request line, a header or body text (see `headerOf`). */
  | { type: 'other' };

/** A trimmed piece of a line: its text and where it starts and ends. */
export interface Piece {
  text: string;
  start: number;
  end: number;
}

export interface HeaderField {
  name: string;
  value: string;
  valueStart: number;
}

const BLANK = /^[ \t\f]*$/;
// Candidates for the grammar: `# @key`, `// @key` (it decides whether a key follows) and `@...`
// at the start of a line.
const METADATA_CANDIDATE = /^\s*(?:#|\/\/)[ \t\f]*@/;
// The response tail and body-file lines: a marker, then the rest of the line is the argument.
// `??` assertion, `>>` / `>>!` save, `<>` response reference, `<@` / `<@latin1` file with
// variables, `<` file, `>` handler file; `< {%` and `> {%` are scripts (matched before this).
const TAIL = /^(?:(\?\?)|(>>)(!?)|(<>)|<@([A-Za-z0-9_-]*)[ \t\f]|(<)[ \t\f]|(>)[ \t\f])/;
// httpyac trims every line, so its files indent `??` lines (often all lines, by a template's
// indent): an indented `??` is an assertion too, or the request passes having checked nothing.
// Only `??` followed by a blank: indented `>`/`>>` lines stay body text (XML, Markdown quotes).
const INDENTED_ASSERTION = /^[ \t\f]+\?\?[ \t\f]/;
const COMMENT = /^\s*(?:#|\/\/)/;
const BLOCK_COMMENT = /^\s*\/\*/;
// httpyac: a line that is only `{{` (or `{{@response`, `{{+after` ...) opens a script block.
const SCRIPT_BLOCK = /^\{\{(?:[@+][A-Za-z0-9_-]*)?[ \t\f]*$/;
// JetBrains `< {% ... %}` / `> {% ... %}`: read here, since a script may span lines.
const PRE_SCRIPT = /^<[ \t\f]+\{%/;
const POST_SCRIPT = /^>[ \t\f]+\{%/;
const IMPORT = /^import[ \t\f]+/;
const RUN = /^run[ \t\f]+/;
// httpyac gRPC: `proto < ./hello.proto` loads service definitions.
const PROTO = /^proto[ \t\f]+<[ \t\f]*/;
// A response pasted after a request (httpyac writes them): `HTTP/1.1 200 OK`.
const STATUS = /^HTTP\/\d+(?:\.\d+)?[ \t\f]+\d{3}(?:[ \t\f]|$)/;
// `{{auth}}` alone where a header goes: the variable holds a whole `Name: value` line.
const HEADER_LINE = /^([ \t\f]*)(\{\{(?:(?!\}\}).)*\}\})[ \t\f]*$/;

// Classes without data are shared: nothing changes a class once made.
const BLANK_LINE: LineClass = { type: 'blank' };
const COMMENT_LINE: LineClass = { type: 'comment' };
const SCRIPT_BLOCK_LINE: LineClass = { type: 'script-block' };
const STATUS_LINE: LineClass = { type: 'status' };
const PLAIN_LINE: LineClass = { type: 'other' };

/** Classes of all lines of a file; one grammar call reads every candidate. */
export function classifyLines(lines: { readonly length: number; text(line: number): string }): LineClass[] {
  const classes: LineClass[] = new Array<LineClass>(lines.length);
  const candidates: number[] = [];
  for (let i = 0; i < lines.length; i++) classes[i] = firstLook(lines.text(i), i, candidates);
  // An indented `@name = value` is read without its indent (the rule reads `@` at the start), and
  // its columns are moved back.
  const indents = candidates.map((index) => indentOfVariable(lines.text(index)));
  const read = tryStructuredLines(candidates.map((index, c) => lines.text(index).slice(indents[c])));
  for (let c = 0; c < candidates.length; c++) {
    const syntax = read[c];
    const indent = indents[c]!;
    if (syntax === null || syntax === undefined) continue;
    classes[candidates[c]!] =
      indent === 0 || syntax.type !== 'variable' ? syntax : { ...syntax, nameStart: syntax.nameStart + indent, valueStart: syntax.valueStart + indent };
  }
  return classes;
}

/** The indent before an `@` that starts a line's text; 0 for any other line. */
function indentOfVariable(line: string): number {
  const indent = line.length - line.trimStart().length;
  return indent > 0 && line.charAt(indent) === '@' ? indent : 0;
}

/**
 * The class the patterns give a line. A candidate for the grammar has its index pushed to
 * `candidates`, and gets the class it keeps when the grammar reads nothing there.
 */
function firstLook(line: string, index: number, candidates: number[]): LineClass {
  if (line.length === 0) return BLANK_LINE;
  const code = line.charCodeAt(0);
  const first = line.charAt(0);
  // Most lines start with a printable ASCII character, which is no whitespace: only the others
  // need the patterns (every line of a file passes here).
  const printable = code > 32 && code < 127;
  if (!printable && BLANK.test(line)) return BLANK_LINE;
  const lead = printable || first.trim() !== '' ? first : line.trimStart().charAt(0);
  if (lead !== first) {
    // Indented (httpyac trims every line). parse.ts takes these as at the margin only before a
    // request line; after it an indented line stays what it was (URL, header or body text).
    if (lead === '@') candidates.push(index);
    else if (lead === '<' && PRE_SCRIPT.test(line.trimStart())) return { type: 'pre-script', ...scriptAfter(line) };
  }
  if (lead === '#' || lead === '/') {
    if (METADATA_CANDIDATE.test(line)) {
      candidates.push(index);
      return COMMENT_LINE;
    }
    if (COMMENT.test(line)) return COMMENT_LINE;
    if (BLOCK_COMMENT.test(line)) {
      const start = line.indexOf('/*');
      return { type: 'block-comment', start, closed: line.indexOf('*/', start + 2) !== -1 };
    }
  }
  switch (first) {
    case '@':
      candidates.push(index);
      break;
    case '{':
      if (SCRIPT_BLOCK.test(line)) return SCRIPT_BLOCK_LINE;
      break;
    case '<':
      if (PRE_SCRIPT.test(line)) return { type: 'pre-script', ...scriptAfter(line) };
      return tailLine(line) ?? PLAIN_LINE;
    case '>':
      if (POST_SCRIPT.test(line)) return { type: 'post-script', ...scriptAfter(line) };
      return tailLine(line) ?? PLAIN_LINE;
    case '?':
      return tailLine(line) ?? PLAIN_LINE;
    case ' ':
    case '\t':
    case '\f':
      if (lead === '?' && INDENTED_ASSERTION.test(line)) {
        return { type: 'assertion', ...trimmedFrom(line, line.indexOf('??') + 2) };
      }
      break;
    case 'i':
      if (IMPORT.test(line)) return { type: 'import', ...rest(line, IMPORT) };
      break;
    case 'r':
      if (RUN.test(line)) return { type: 'run', ...rest(line, RUN) };
      break;
    case 'p':
      if (PROTO.test(line)) return { type: 'proto', ...rest(line, PROTO) };
      break;
    case 'H':
      if (STATUS.test(line)) return STATUS_LINE;
      break;
  }
  return PLAIN_LINE;
}

/**
 * How an `other` line reads where a header may stand: `Name: value`, or `{{auth}}` alone (a
 * variable that holds a whole header line). Asked only there: body lines never pay for it.
 */
export function headerOf(line: string): { field: HeaderField; headerLine: null } | { field: null; headerLine: Piece } | null {
  const headerLine = HEADER_LINE.exec(line);
  if (headerLine !== null) {
    const start = headerLine[1]?.length ?? 0;
    const text = headerLine[2] ?? '';
    return { field: null, headerLine: { text, start, end: start + text.length } };
  }
  const field = headerField(line);
  return field === null ? null : { field, headerLine: null };
}

const COLON = 58;

/**
 * `Name: value`: a name of no colon or blank, blanks, a colon, blanks, the value. Read by character
 * codes (every header line of a file passes here; a regex match would allocate its captures).
 */
function headerField(line: string): HeaderField | null {
  let i = 0;
  for (; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === COLON || isBlankCode(code)) break;
  }
  if (i === 0) return null;
  const nameEnd = i;
  while (isBlankCode(line.charCodeAt(i))) i++;
  if (line.charCodeAt(i) !== COLON) return null;
  i++;
  while (isBlankCode(line.charCodeAt(i))) i++;
  const value = line.slice(i);
  // As the pattern `(.*)$` read it: a value holding a line or paragraph separator is no header.
  if (/[\u2028\u2029]/.test(value)) return null;
  return { name: line.slice(0, nameEnd), value: value.trimEnd(), valueStart: i };
}

/** A space, tab or form feed. */
function isBlankCode(code: number): boolean {
  return code === 32 || code === 9 || code === 12;
}

/** A response-tail or body-file line, or null when the line has no such marker. */
function tailLine(line: string): LineClass | null {
  const marker = TAIL.exec(line);
  if (marker === null) return null;
  const piece = trimmedFrom(line, marker[0].length);
  if (marker[1] !== undefined) return { type: 'assertion', ...piece };
  if (marker[2] !== undefined) return { type: 'save', overwrite: marker[3] === '!', ...piece };
  if (marker[4] !== undefined) return { type: 'response-ref', ...piece };
  if (marker[5] !== undefined) return { type: 'file', substitute: true, encoding: marker[5] === '' ? null : marker[5], ...piece };
  if (marker[6] !== undefined) return { type: 'file', substitute: false, encoding: null, ...piece };
  return { type: 'post-script-file', ...piece };
}

/** What follows `prefix` (an anchored pattern that matches), trimmed, with its columns. */
function rest(line: string, prefix: RegExp): Piece {
  const match = prefix.exec(line);
  return trimmedFrom(line, match === null ? 0 : match[0].length);
}

/** The line from column `from` on, trimmed as String#trim does, with its columns. */
function trimmedFrom(line: string, from: number): Piece {
  const tail = line.slice(from);
  const text = tail.trim();
  const start = from + (tail.length - tail.trimStart().length);
  return { text, start, end: start + text.length };
}

/** After `{%`: the code up to `%}` when it closes on this line, else the rest of the line. */
function scriptAfter(line: string): { code: string; closed: boolean } {
  const open = line.indexOf('{%') + 2;
  const close = line.indexOf('%}', open);
  return close === -1 ? { code: line.slice(open), closed: false } : { code: line.slice(open, close), closed: true };
}
