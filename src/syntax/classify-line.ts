/**
 * What one line of a .http file is, before knowing where it stands. parse.ts decides what a class
 * means in its state: `< file` is a pre-request script file before the request line and a file
 * part inside a body; an `other` line is a request line, a header or body text.
 *
 * These are prefix patterns, so they live here as anchored regular expressions: a file's every
 * line passes through them, and V8's regex engine reads text an order of magnitude faster than a
 * peggy rule (the grammar in grammar/http.peggy reads request lines and placeholders).
 * Columns are 0-based offsets into the line.
 */
export type LineClass =
  | { type: 'blank' }
  | { type: 'metadata'; key: string; keyStart: number; value: string; valueStart: number }
  | { type: 'comment' }
  | { type: 'variable'; name: string; value: string; valueStart: number }
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
  /** Anything else; `header` / `headerLine` say how it reads where a header may stand. */
  | { type: 'other'; header: HeaderField | null; headerLine: Piece | null };

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
// `# @name = X`, `// @no-redirect`, `#@tag a,b`: a key right after `@`, then `=` or whitespace.
const METADATA = /^\s*(?:#|\/\/)[ \t\f]*(@)([A-Za-z_][A-Za-z0-9_.-]*)(?=[ \t\f=]|$)[ \t\f]*=?[ \t\f]*(.*)$/;
const COMMENT = /^\s*(?:#|\/\/)/;
const VARIABLE = /^@([A-Za-z_$][A-Za-z0-9_.$-]*)[ \t\f]*=[ \t\f]*(.*)$/;
const BLOCK_COMMENT = /^\s*\/\*/;
// httpyac: a line that is only `{{` (or `{{@response`, `{{+after` ...) opens a script block.
const SCRIPT_BLOCK = /^\{\{(?:[@+][A-Za-z0-9_-]*)?[ \t\f]*$/;
const PRE_SCRIPT = /^<[ \t\f]+\{%/;
const RESPONSE_REF = /^<>[ \t\f]*/;
// `<@ ./file` (variables substituted), `<@latin1 ./file` (REST Client: read in that encoding).
const FILE_SUBSTITUTED = /^<@([A-Za-z0-9_-]*)[ \t\f]+/;
const FILE = /^<[ \t\f]+/;
const SAVE = /^>>(!?)[ \t\f]*/;
const POST_SCRIPT = /^>[ \t\f]+\{%/;
const POST_SCRIPT_FILE = /^>[ \t\f]+/;
const ASSERTION = /^\?\?[ \t\f]*/;
const IMPORT = /^import[ \t\f]+/;
const RUN = /^run[ \t\f]+/;
// httpyac gRPC: `proto < ./hello.proto` loads service definitions.
const PROTO = /^proto[ \t\f]+<[ \t\f]*/;
// A response pasted after a request (httpyac writes them): `HTTP/1.1 200 OK`.
const STATUS = /^HTTP\/\d+(?:\.\d+)?[ \t\f]+\d{3}(?:[ \t\f]|$)/;
// `{{auth}}` alone where a header goes: the variable holds a whole `Name: value` line.
const HEADER_LINE = /^([ \t\f]*)(\{\{(?:(?!\}\}).)*\}\})[ \t\f]*$/;
const HEADER = /^([^: \t\f]+)[ \t\f]*:[ \t\f]*(.*)$/;

export function classifyLine(line: string): LineClass {
  if (BLANK.test(line)) return { type: 'blank' };
  const first = line.trimStart().charAt(0);
  if (first === '#' || first === '/') {
    const metadata = METADATA.exec(line);
    if (metadata !== null) {
      const value = metadata[3] ?? '';
      return { type: 'metadata', key: metadata[2] ?? '', keyStart: line.indexOf('@'), value: value.trim(), valueStart: line.length - value.length };
    }
    if (COMMENT.test(line)) return { type: 'comment' };
    if (BLOCK_COMMENT.test(line)) {
      const start = line.indexOf('/*');
      return { type: 'block-comment', start, closed: line.indexOf('*/', start + 2) !== -1 };
    }
  }
  switch (line.charAt(0)) {
    case '@': {
      const variable = VARIABLE.exec(line);
      if (variable !== null) {
        const value = variable[2] ?? '';
        return { type: 'variable', name: variable[1] ?? '', value: value.trimEnd(), valueStart: line.length - value.length };
      }
      break;
    }
    case '{':
      if (SCRIPT_BLOCK.test(line)) return { type: 'script-block' };
      break;
    case '<':
      if (PRE_SCRIPT.test(line)) return { type: 'pre-script', ...scriptAfter(line) };
      if (RESPONSE_REF.test(line)) return { type: 'response-ref', ...rest(line, RESPONSE_REF) };
      {
        const substituted = FILE_SUBSTITUTED.exec(line);
        if (substituted !== null) {
          const encoding = substituted[1] ?? '';
          return { type: 'file', substitute: true, encoding: encoding === '' ? null : encoding, ...rest(line, FILE_SUBSTITUTED) };
        }
      }
      if (FILE.test(line)) return { type: 'file', substitute: false, encoding: null, ...rest(line, FILE) };
      break;
    case '>': {
      const save = SAVE.exec(line);
      if (save !== null) return { type: 'save', overwrite: save[1] === '!', ...rest(line, SAVE) };
      if (POST_SCRIPT.test(line)) return { type: 'post-script', ...scriptAfter(line) };
      if (POST_SCRIPT_FILE.test(line)) return { type: 'post-script-file', ...rest(line, POST_SCRIPT_FILE) };
      break;
    }
    case '?':
      if (ASSERTION.test(line)) return { type: 'assertion', ...rest(line, ASSERTION) };
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
      if (STATUS.test(line)) return { type: 'status' };
      break;
  }
  const headerLine = HEADER_LINE.exec(line);
  if (headerLine !== null) {
    const start = headerLine[1]?.length ?? 0;
    const text = headerLine[2] ?? '';
    return { type: 'other', header: null, headerLine: { text, start, end: start + text.length } };
  }
  const header = HEADER.exec(line);
  if (header !== null) {
    const value = header[2] ?? '';
    return { type: 'other', header: { name: header[1] ?? '', value: value.trimEnd(), valueStart: line.length - value.length }, headerLine: null };
  }
  return { type: 'other', header: null, headerLine: null };
}

/** What follows `prefix` (an anchored pattern that matches), trimmed, with its columns. */
function rest(line: string, prefix: RegExp): Piece {
  const match = prefix.exec(line);
  const from = match === null ? 0 : match[0].length;
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
