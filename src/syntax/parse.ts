import { diagnostic, type Diagnostic, type Span } from '../diagnostics.js';
import type {
  AssertionNode,
  BodyNode,
  BodyPart,
  ForeignNode,
  GraphqlFragmentNode,
  HeaderLineNode,
  HeaderNode,
  HttpFileNode,
  MetadataNode,
  ParseResult,
  RequestNode,
  SaveNode,
  ScriptNode,
  Template,
  VariableNode,
} from './ast.js';
import { classifyLines, headerOf, type LineClass, type Piece } from './classify-line.js';
import { CURL_LINE, curlCommandLength, readCurlCommand, type CurlText, type CurlWord } from './curl-command.js';
import {
  grammarWork,
  resetGrammarWork,
  tryRequestLine,
  tryRequestLines,
  tryTargetContinuation,
  tryTargetContinuations,
  type RequestLineSyntax,
  type TargetContinuationSyntax,
} from './grammar.js';
import { isKnownMetadataKey, suggestMetadataKey } from './metadata-keys.js';
import { exact } from './exact-array.js';
import { SourceLines, stripBom } from './source-lines.js';
import { placeholderInners, TemplateReader, type TemplatePiece } from './template.js';

export { parseTemplate } from './template.js';

/**
 * What the last `parse` call did, in units that do not depend on the machine: how often it read
 * a line, and how often and how much it asked the grammar to read. Tests hold these linear in the
 * file's size; timing belongs to `npm run bench`.
 */
export interface ParseWork {
  lines: number;
  lineReads: number;
  grammarCalls: number;
  grammarCharacters: number;
}

let lastWork: ParseWork = { lines: 0, lineReads: 0, grammarCalls: 0, grammarCharacters: 0 };

export function lastParseWork(): ParseWork {
  return { ...lastWork };
}

/**
 * Parses a .http / .rest file's text into its AST and diagnostics. Reads no file and sends nothing;
 * fast enough for every keystroke. Never throws: every problem is a Diagnostic (code, message,
 * hint, span), and every block (`###` to `###`) is parsed even when an earlier one has errors.
 * Text that is not a string (from plain JS) is one error diagnostic, `syntax/not-text`.
 *
 * Every node has a `span` of `{ file, start, end }` positions (1-based line and column, 0-based
 * offset after a BOM). The runner's spans work positions out when read (it reads few); with
 * `plainSpans` (the library's `parse`) they are plain data, which copies and comparisons keep.
 *
 * @param text The file's text: LF, CRLF or CR line breaks, a leading BOM ignored.
 * @param options.file The file's name as spans and diagnostics carry it (a path, or any label).
 *
 * The file is read line by line (see grammar/http.peggy for why). Before its request line a
 * block holds comments, metadata, variables and pre-request scripts; then come URL continuation
 * lines, headers up to a blank line, the body, and the response tail (`??`, `>`, `>>`, `<>`).
 */
export function parse(text: string, options: { file: string; plainSpans?: boolean }): ParseResult {
  const file = typeof options?.file === 'string' ? options.file : String(options?.file ?? '');
  const source = typeof text === 'string' ? stripBom(text) : '';
  resetGrammarWork();
  const parser = new FileParser(new SourceLines(file, source, options?.plainSpans === true), placeholderInners(source));
  if (typeof text !== 'string') {
    const got = text === null ? 'null' : Buffer.isBuffer(text) ? 'a Buffer (decode it first)' : typeof text;
    return {
      ast: parser.emptyFile(),
      diagnostics: [diagnostic('error', 'syntax/not-text', `parse() needs the file's text as a string, got ${got}`, parser.fileStart())],
    };
  }
  try {
    return parser.parseFile();
  } catch (error) {
    // A bug must not take the whole run down: report it against the file and go on.
    const message = error instanceof Error ? error.message : String(error);
    return {
      ast: parser.emptyFile(),
      diagnostics: [
        diagnostic('error', 'syntax/internal-error', `httprun could not parse this file (a bug): ${message}`, parser.fileStart()),
      ],
    };
  } finally {
    const grammar = grammarWork();
    lastWork = { lines: parser.lineCount(), lineReads: parser.lineReads, grammarCalls: grammar.calls, grammarCharacters: grammar.characters };
  }
}

/** What comes before a request line and belongs to the request that follows. */
interface Preamble {
  metadata: MetadataNode[];
  scripts: ScriptNode[];
  foreign: ForeignNode[];
  /** `??` above the request line: the request's own (httpyac reads a block's `??` lines wherever they stand). */
  assertions: AssertionNode[];
  first: number | null;
}

interface HeaderDraft {
  name: string | null;
  pieces: TemplatePiece[];
  first: number;
  last: number;
  /** Between pieces: a space for continuation lines (the default), nothing for a curl option's parts. */
  joiner?: string;
}

interface RequestDraft {
  requestLine: number;
  syntax: RequestLineSyntax;
  targetPieces: TemplatePiece[];
  version: string | null;
  headers: HeaderDraft[];
  body: BodyNode | null;
  assertions: AssertionNode[];
  scripts: ScriptNode[];
  saves: SaveNode[];
  foreign: ForeignNode[];
}

/** How a request ended: where parsing goes on, and whether a request line without `###` ended it. */
interface RequestEnd {
  next: number;
  implicit: boolean;
}

const TAIL_TYPES = new Set(['assertion', 'post-script', 'post-script-file', 'save', 'response-ref', 'script-block', 'status']);

/** What a request target may start with when no method says "this is a request line". */
const TARGET_LIKE =
  /^(?:[a-z][a-z0-9+.-]*:\/\/|\/(?![/*])|\*$|\{\{|<<|localhost(?![\w.-])|\[[0-9a-f:.]+\]|[\w-]+(?:\.[\w-]+)+(?::\d+)?(?:[/?#]|$)|[\w.-]+:\d+(?:[/?#]|$))/i;

/** kulala's shared block titles. */
const SHARED_TITLE = /^Shared(?: (each))?$/i;

/**
 * kulala's shared block: the first request of a file titled `### Shared` or `### Shared each`. Its
 * metadata goes with every later request (the parser adds it); its request runs before the ones a
 * selection picks (the plan adds it), and for `each` again before every later request (the run does).
 */
export function sharedBlockOf(requests: readonly RequestNode[]): { request: RequestNode; each: boolean } | null {
  const first = requests[0];
  if (first === undefined || first.title === null) return null;
  const match = SHARED_TITLE.exec(first.title);
  return match === null ? null : { request: first, each: match[1] !== undefined };
}
/** What names or links one request stays its own in a shared block. */
const UNSHARED_METADATA = new Set(['name', 'title', 'ref', 'forceRef', 'force-ref', 'import']);

/** A cheap first look for request lines (the grammar decides); a line it misses is read alone. */
const REQUEST_LIKE =
  /^\s*(?:[A-Za-z][A-Za-z-]*[ \t]+)?(?:[a-z][a-z0-9+.-]*:\/\/|\/|\*|\{\{|<<|localhost|\[|[\w-]+(?:\.[\w-]+)+|[\w.-]+:\d)/i;

/** httpyac collects GraphQL fragments written outside request bodies (a GraphQL name, then `on`). */
const GRAPHQL_FRAGMENT = /^\s*fragment[ \t]+([_A-Za-z][_0-9A-Za-z]*)[ \t]+on[ \t]/;

/** `host.tld/…`, `host:8080/…`, `localhost/…`: a target without a scheme that is clearly a URL. */
const HOST_AND_PATH = /^(?:localhost|[\w-]+(?:\.[\w-]+)+|\[[0-9a-f:.]+\])(?::\d+)?\/\S/i;

class FileParser {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly variables: VariableNode[] = [];
  private readonly requests: RequestNode[] = [];
  private readonly foreign: ForeignNode[] = [];
  private readonly metadata: MetadataNode[] = [];
  private readonly assertions: AssertionNode[] = [];
  /** The metadata of kulala's `### Shared` block, which every later request takes. */
  private sharedMetadata: MetadataNode[] = [];
  /** The pre-request scripts of a kulala shared block without a request: they run before every later request. */
  private sharedScripts: ScriptNode[] = [];
  private readonly fragments: GraphqlFragmentNode[] = [];
  private readonly templates: TemplateReader;
  /** What each line is (patterns, and one grammar call for the lines with structure). */
  private classes: LineClass[] = [];
  /** Lines that may be request lines, read in one grammar call (line index → syntax or null). */
  private readonly requestLines = new Map<number, RequestLineSyntax | null>();
  /** URL continuation lines below those, read in one grammar call. */
  private readonly continuationLines = new Map<number, TargetContinuationSyntax | null>();
  /** How often a line was looked at: the structural measure of parse time (see ParseWork). */
  lineReads = 0;

  private readonly file: string;

  constructor(
    private readonly source: SourceLines,
    /** What stands in the file's `{{ }}`: read by the grammar at once, each distinct text once. */
    placeholders: readonly string[],
  ) {
    this.file = source.file;
    this.templates = new TemplateReader((from, to) => source.offsetSpan(from, to), this.diagnostics, placeholders);
  }

  parseFile(): ParseResult {
    this.classes = classifyLines(this.source);
    this.readRequestLineCandidates();
    let from = 0;
    while (from < this.source.length) {
      let to = from + 1;
      while (to < this.source.length && !this.isSeparator(to)) to++;
      this.parseBlock(from, to);
      from = to;
    }
    if (this.fragments.length > 0) for (const request of this.requests) request.graphqlFragments = this.fragments;
    this.warnDuplicateNames();
    this.diagnostics.sort((a, b) => a.span.start.offset - b.span.start.offset);
    return {
      ast: { ...this.emptyFile(), variables: this.variables, requests: this.requests, foreign: this.foreign, metadata: this.metadata, assertions: this.assertions },
      diagnostics: this.diagnostics,
    };
  }

  emptyFile(): HttpFileNode {
    const last = this.source.length - 1;
    return {
      kind: 'file',
      file: this.file,
      variables: [],
      requests: [],
      foreign: [],
      metadata: [],
      assertions: [],
      span: this.source.linesSpan(0, last),
    };
  }

  lineCount(): number {
    return this.source.length;
  }

  fileStart(): Span {
    return this.source.span(0, 0, 0);
  }

  // ---------------------------------------------------------------------------------------------
  // Blocks and what comes before the request line

  private parseBlock(from: number, to: number): void {
    const separator = this.isSeparator(from) ? from : null;
    let title = separator === null ? null : titleOf(this.text(separator));
    // kulala's `### Shared` (or `### Shared each`) block, the first of the file: its metadata applies
    // to every request after it (a request's own wins, being later in its list).
    const shared = title !== null && this.requests.length === 0 && SHARED_TITLE.test(title);
    const requestsBefore = this.requests.length;
    let blockStart: number | null = separator;
    let preamble = emptyPreamble();
    let implicit = false;
    let k = separator === null ? from : from + 1;
    // Where the lines before the next request line start (for a request line commented out there).
    let section = k;

    while (k < to) {
      const line = k;
      const cls = this.cls(k);
      switch (cls.type) {
        case 'blank':
        case 'comment':
          k++;
          break;
        case 'metadata':
          preamble.metadata.push(...this.metadataOf(line, cls));
          preamble.first ??= line;
          k++;
          break;
        case 'variable':
          this.variables.push(this.variableOf(line, cls));
          k++;
          break;
        case 'block-comment':
          k = this.skipBlockComment(k, to);
          break;
        case 'script-block':
          preamble.first ??= line;
          k = this.httpyacScript(k, to, preamble.foreign);
          break;
        case 'pre-script':
          preamble.first ??= line;
          k = this.inlineScript(k, to, 'pre', cls, preamble.scripts);
          break;
        case 'file':
          // Before the request line, `< ./script.js` is a pre-request script file (JetBrains).
          preamble.first ??= line;
          preamble.scripts.push({ kind: 'script', phase: 'pre', code: null, path: cls.text, span: this.source.lineSpan(line) });
          k++;
          break;
        case 'import':
        case 'run':
        case 'proto':
          preamble.foreign.push(this.foreignLine(cls.type === 'proto' ? 'grpc-proto' : cls.type, line));
          k++;
          break;
        case 'assertion':
          // httpyac: a block's `??` lines belong to its request; in a block without one, to every request.
          preamble.first ??= line;
          preamble.assertions.push(this.assertionOf(line, cls));
          k++;
          break;
        case 'post-script':
        case 'post-script-file':
        case 'save':
        case 'response-ref':
        case 'status':
          this.error('syntax/expected-request-line', `expected a request line before \`${shorten(this.text(line).trim())}\`: it belongs after a request`, this.fromIndent(line), 'write the request (`GET https://example.com/`) above it, or remove the line');
          k = this.tailItem(k, to, cls, null);
          break;
        case 'other': {
          if (GRAPHQL_FRAGMENT.test(this.text(k))) {
            k = this.graphqlFragment(k, to);
            break;
          }
          const start = blockStart ?? preamble.first ?? line;
          let end: RequestEnd;
          if (CURL_LINE.test(this.text(k))) end = this.curlRequest(k, to, preamble, title, start);
          else {
            const disabled = this.requestLineAt(k, true) === null ? this.commentedOutRequestLine(section, k) : null;
            if (disabled !== null) {
              // `#POST …` with its headers and body left below: the user switched the request off
              // (httpyac and kulala skip such a block), so say so and skip it instead of failing the file.
              this.warning(
                'syntax/commented-out-request',
                'this request line is commented out, so the headers and body below it are skipped',
                this.trimmedSpan(disabled),
                'remove the comment marker to send the request, or comment out its other lines too',
              );
              // Up to the next `###`, or a request line after a blank line (a request without `###`).
              k++;
              while (k < to && !(this.isBlankLine(k - 1) && this.requestLineAt(k, true)?.known === true)) k++;
              section = k;
              break;
            }
            const syntax = this.requestLineAt(k);
            if (syntax === null) {
              // The lines up to the next blank line most likely belong to the broken request line:
              // one error for it, not one per header.
              k++;
              while (k < to && !this.isBlankLine(k)) k++;
              break;
            }
            end = this.parseRequest(k, to, syntax, preamble, title, start, implicit);
          }
          k = end.next;
          section = k;
          implicit = end.implicit;
          title = null;
          blockStart = null;
          preamble = emptyPreamble();
          break;
        }
      }
    }
    if (shared) {
      const own = this.requests.length > requestsBefore ? this.requests[requestsBefore]!.metadata : preamble.metadata;
      this.sharedMetadata = own.filter((meta) => !UNSHARED_METADATA.has(meta.key));
      // kulala runs a shared block's scripts before the request you run: without a request of their
      // own here, they become every later request's first pre-request scripts.
      if (this.requests.length === requestsBefore) {
        this.sharedScripts = preamble.scripts;
        preamble.scripts = [];
      }
    }
    // A block without a request line: what it declared belongs to the file.
    this.metadata.push(...preamble.metadata);
    this.assertions.push(...preamble.assertions);
    this.foreign.push(...preamble.foreign);
    for (const script of preamble.scripts) {
      this.foreign.push({ kind: 'foreign', what: 'script', text: script.code ?? script.path ?? '', span: script.span });
    }
  }

  /** An indented `??` (httpyac) is read from its marker: text and span start at `??`. */
  private assertionOf(line: number, cls: Piece): AssertionNode {
    return { kind: 'assertion', text: this.text(line).trim(), source: this.pieceTemplate(line, cls), span: this.fromIndent(line) };
  }

  /** The last comment line in `from`..`to` that is a request line behind `#` or `//`, if any. */
  private commentedOutRequestLine(from: number, to: number): number | null {
    for (let line = to - 1; line >= from; line--) {
      if (!this.isCommentLine(line)) continue;
      const syntax = tryRequestLine(this.text(line).replace(/^\s*(?:#+|\/\/)\s*/, ''));
      if (syntax !== null && syntax.method !== null && syntax.known && TARGET_LIKE.test(syntax.target)) return line;
    }
    return null;
  }

  /** A request line, or null with an error saying what was expected (none when `quiet`). */
  private requestLineAt(k: number, quiet = false): RequestLineSyntax | null {
    const line = k;
    const syntax = this.requestLine(k);
    const span = this.trimmedSpan(line);
    if (syntax !== null && (syntax.known || (syntax.method !== null && TARGET_LIKE.test(syntax.target)))) return syntax;
    // Without a method, only a URL with a scheme, or a host and a path (kulala's
    // `httpbin.org/post(with space)/?filter=A eq 'XYZ'`), may hold spaces (they are encoded when sent).
    if (syntax !== null && syntax.method === null && TARGET_LIKE.test(syntax.target)) {
      if (!/\s/.test(syntax.target) || /^[a-z][a-z0-9+.-]*:\/\/\S/i.test(syntax.target) || HOST_AND_PATH.test(syntax.target)) return syntax;
    }
    if (quiet) return null;
    const written = this.text(line).trim();
    if (/^[A-Za-z]+$/.test(written) && isMethodWord(written)) {
      this.error('syntax/expected-url', `expected a URL after \`${written}\``, span, `write the request as \`${written.toUpperCase()} https://example.com/path\``);
    } else {
      this.error(
        'syntax/expected-request-line',
        `expected a request line (\`METHOD URL\`), a comment, \`@name = value\` or \`###\`, but found \`${shorten(written)}\``,
        span,
        'a request line looks like `GET https://example.com/items` or `POST {{host}}/items HTTP/1.1`; start comments with `#` or `//`',
      );
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // One request: request line, continuation lines, headers, body, tail

  private parseRequest(
    k: number,
    to: number,
    syntax: RequestLineSyntax,
    preamble: Preamble,
    title: string | null,
    start: number,
    implicit: boolean,
  ): RequestEnd {
    const requestLine = k;
    if (implicit) {
      this.warning(
        'syntax/implicit-separator',
        `a new request starts here without \`###\`: \`${shorten(this.text(requestLine).trim())}\``,
        this.source.lineSpan(requestLine),
        'put a `###` line above it so that every editor splits the requests the same way',
      );
    }
    const draft: RequestDraft = {
      requestLine,
      syntax,
      targetPieces: [{ at: this.source.offset(requestLine, syntax.targetStart), text: syntax.target }],
      version: syntax.version,
      headers: [],
      body: null,
      assertions: [...preamble.assertions],
      scripts: [...preamble.scripts],
      saves: [],
      foreign: [...preamble.foreign],
    };
    let end = this.continuationAndHeaders(k + 1, to, draft);
    const last = Math.max(end.next - 1, k);
    this.requests.push(this.finishRequest(draft, preamble, title, start, last));
    return end;
  }

  /**
   * A `curl ...` command where a request line goes (REST Client sends such blocks): its options
   * become the request; assertions and handlers may follow it as after any request.
   */
  private curlRequest(k: number, to: number, preamble: Preamble, title: string | null, start: number): RequestEnd {
    // The command's lines are read until it ends, not the whole block.
    const length = curlCommandLength(this.linesFrom(k, to));
    const command = readCurlCommand(Array.from({ length }, (_, i) => ({ line: k + i, text: this.text(k + i) })));
    for (const problem of command.problems) {
      const span = this.source.span(problem.at.line, problem.at.column, problem.at.column + problem.at.text.length);
      this.diagnostics.push(diagnostic(problem.severity, problem.code, problem.message, span, problem.hint));
    }
    if (command.url === null) return { next: k + length, implicit: false };
    const last = k + length - 1;
    const place = (word: CurlWord) => this.source.span(word.line, word.column, word.column + word.text.length);
    const targetPieces = this.curlPieces(command.url, k);
    const draft: RequestDraft = {
      requestLine: k,
      // Not `known`: the method goes out as written, as curl sends it.
      syntax: { method: command.method, methodStart: null, known: false, target: targetPieces.map((piece) => piece.text).join(''), targetStart: command.url.find((item): item is CurlWord => typeof item !== 'string')?.column ?? 0, version: null },
      targetPieces,
      version: null,
      headers: command.headers.map((header) => ({ name: header.name, pieces: this.curlPieces(header.value, header.at.line), first: header.at.line, last: header.at.line, joiner: '' })),
      body: null,
      assertions: [...preamble.assertions],
      scripts: [...preamble.scripts],
      saves: [],
      foreign: [...preamble.foreign],
    };
    if (command.body !== null) {
      const parts: BodyPart[] = command.body.map((part) =>
        part.kind === 'file'
          ? { kind: 'file', path: this.templates.readPiece(this.source.offset(part.path.line, part.path.column), part.path.text), substitute: false, encoding: null, span: place(part.path) }
          : { kind: 'text', text: this.templates.read(this.curlPieces(part.text, k)), span: this.source.linesSpan(k, last) },
      );
      draft.body = { kind: 'body', parts, span: this.source.linesSpan(k, last) };
    }
    const metadata = [...preamble.metadata, ...command.metadata.map((m): MetadataNode => ({ kind: 'metadata', key: m.key, value: m.value, span: place(m.at) }))];
    const end = this.tail(k + length, to, draft);
    this.requests.push(this.finishRequest(draft, { ...preamble, metadata }, title, start, Math.max(end.next - 1, last)));
    return end;
  }

  /** Template pieces of a curl text; fixed text (`Basic `, `&`) stands where the word next to it does. */
  private curlPieces(text: CurlText, line: number): TemplatePiece[] {
    const words = text.filter((item): item is CurlWord => typeof item !== 'string');
    const anchor = words[0] ?? { line, column: 0 };
    const at = (word: { line: number; column: number }) => this.source.offset(word.line, word.column);
    return text.map((item) =>
      typeof item === 'string' ? { at: at(anchor), text: item } : { at: at(item), text: item.text, ...(item.percentEncoded ? { percentEncoded: true } : {}) },
    );
  }

  private continuationAndHeaders(k: number, to: number, draft: RequestDraft): RequestEnd {
    // URL continuation lines (JetBrains §3.2.1.3: indented; httpyac/REST Client: `?`, `&`, `/path`).
    while (k < to) {
      const line = k;
      if (this.isBlankLine(line)) break;
      const text = this.text(line);
      const trimmed = text.trimStart();
      const commented = trimmed.startsWith('#') || trimmed.startsWith('//');
      if (commented && !/^\s*(#|\/\/)\s*@/.test(text)) {
        // A commented-out query line (`# &x=1`), or a comment between request line and headers.
        k++;
        continue;
      }
      if (!isContinuation(text)) break;
      const piece = this.targetContinuation(k);
      if (piece === null) break;
      if (piece.target !== '') draft.targetPieces.push({ at: this.source.offset(line, piece.targetStart), text: piece.target });
      if (piece.version !== null) draft.version = piece.version;
      k++;
    }
    return this.headers(k, to, draft);
  }

  private headers(k: number, to: number, draft: RequestDraft): RequestEnd {
    while (k < to) {
      const line = k;
      const text = this.text(line);
      if (this.isBlankLine(k)) return this.body(k + 1, to, draft, k);
      const previous = draft.headers[draft.headers.length - 1];
      if (/^[ \t]/.test(text) && !this.isCommentLine(k) && this.cls(k).type !== 'assertion' && previous !== undefined && previous.name !== null) {
        // JetBrains §3.2.2: an indented line continues the header value above it.
        const start = text.length - text.trimStart().length;
        previous.pieces.push({ at: this.source.offset(line, start), text: text.trim() });
        previous.last = line;
        k++;
        continue;
      }
      const cls = this.cls(k);
      if (cls.type === 'comment' || cls.type === 'metadata') {
        k++;
        continue;
      }
      if (cls.type === 'block-comment') {
        k = this.skipBlockComment(k, to);
        continue;
      }
      if (TAIL_TYPES.has(cls.type)) return this.tail(k, to, draft);
      const header = cls.type === 'other' ? headerOf(text) : null;
      const headerLine = header?.headerLine ?? null;
      if (headerLine !== null) {
        const piece = { at: this.source.offset(line, headerLine.start), text: text.slice(headerLine.start, headerLine.end) };
        draft.headers.push({ name: null, pieces: [piece], first: line, last: line });
        k++;
        continue;
      }
      if (this.isImplicitRequestLine(k)) return { next: k, implicit: true };
      const field = header?.field ?? null;
      if (field !== null) {
        draft.headers.push({ name: field.name, pieces: [{ at: this.source.offset(line, field.valueStart), text: field.value }], first: line, last: line });
        k++;
        continue;
      }
      if (/^\s*[[{<"]/.test(text)) {
        // httpyac starts the body at the first line that is no header; for lines that cannot be a
        // header (`{`, `[`, `<`) we do too, but say that other editors need the blank line.
        this.warning(
          'syntax/missing-blank-line',
          'the body starts without a blank line after the headers',
          this.source.lineSpan(line),
          'put a blank line between the headers and the body; JetBrains and REST Client need it',
        );
        return this.body(k, to, draft, null);
      }
      this.error(
        'syntax/expected-header',
        `expected a header \`Name: value\` or a blank line before the body, but found \`${shorten(text.trim())}\``,
        this.source.span(line, text.length - text.trimStart().length, text.trimEnd().length),
        'a header needs a colon (`Content-Type: application/json`); leave a blank line before the body',
      );
      k++;
    }
    return { next: k, implicit: false };
  }

  /**
   * The body runs to the next `###`, a response-tail line, a script block, a pasted response or a
   * request line after a blank line (SPEC §7). `blank` is the blank line before it, if any.
   */
  private body(k: number, to: number, draft: RequestDraft, blank: number | null): RequestEnd {
    const bodyLines: number[] = [];
    let lastBlank = blank;
    let onlyCommentsSinceBlank = true;
    let end: RequestEnd | null = null;
    while (k < to) {
      if (this.isBlankLine(k)) {
        bodyLines.push(k);
        lastBlank = k;
        onlyCommentsSinceBlank = true;
        k++;
        continue;
      }
      if (TAIL_TYPES.has(this.cls(k).type)) {
        end = this.tail(k, to, draft);
        break;
      }
      if (lastBlank !== null && onlyCommentsSinceBlank && this.isImplicitRequestLine(k)) {
        // Comment lines between the blank line and the request line belong to the new request.
        bodyLines.length = bodyLines.indexOf(lastBlank) + 1;
        end = { next: lastBlank + 1, implicit: true };
        break;
      }
      if (!this.isCommentLine(k)) onlyCommentsSinceBlank = false;
      bodyLines.push(k);
      k++;
    }
    draft.body = this.bodyOf(bodyLines);
    return end ?? { next: k, implicit: false };
  }

  private bodyOf(indices: number[]): BodyNode | null {
    // JetBrains §4.2.2: blank lines around an in-place body are not sent; SPEC §3: `#` lines that
    // only comments follow are comments.
    let first = 0;
    let last = indices.length - 1;
    while (first <= last && this.isBlankLine(indices[first]!)) first++;
    while (last >= first && (this.isBlankLine(indices[last]!) || this.isCommentLine(indices[last]!))) last--;
    if (first > last) return null;

    const parts: BodyPart[] = [];
    let textLines: number[] = [];
    for (let i = first; i <= last; i++) {
      const line = indices[i]!;
      const cls = this.cls(line);
      // A `//` line is a comment in a body; a `#` line is body text (the classifier saw both as comments).
      if ((cls.type === 'comment' || cls.type === 'metadata') && /^\s*\/\//.test(this.text(line))) continue;
      if (cls.type === 'file') {
        if (textLines.length > 0) parts.push(this.bodyText(textLines));
        textLines = [];
        parts.push({
          kind: 'file',
          path: this.pieceTemplate(line, cls),
          substitute: cls.substitute,
          encoding: cls.encoding,
          span: this.source.lineSpan(line),
        });
        continue;
      }
      textLines.push(line);
    }
    if (textLines.length > 0) parts.push(this.bodyText(textLines));
    // Never empty: the last line kept above is not a comment, and every `//` line skipped here is one.
    return {
      kind: 'body',
      parts: exact(parts),
      span: this.source.linesSpan(indices[first]!, indices[last]!),
    };
  }

  /** Body text lines joined by "\n": one slice of the file when they follow each other with "\n" between. */
  private bodyText(lines: number[]): BodyPart {
    const first = lines[0]!;
    const last = lines[lines.length - 1]!;
    const span = this.source.linesSpan(first, last);
    if (last - first === lines.length - 1 && !this.source.hasCarriageReturn) {
      return { kind: 'text', text: this.templates.readPiece(this.source.offset(first, 0), this.source.slice(first, last)), span };
    }
    const pieces = lines.map((line) => ({ at: this.source.offset(line, 0), text: this.text(line) }));
    return { kind: 'text', text: this.templates.read(pieces, '\n'), span };
  }

  /** After the headers or the body: assertions, scripts, saves, response references. */
  private tail(k: number, to: number, draft: RequestDraft): RequestEnd {
    // Metadata and comments right above a request line without `###` belong to that request.
    let commentsFrom: number | null = null;
    while (k < to) {
      const line = k;
      const cls = this.cls(k);
      if (cls.type === 'blank') {
        commentsFrom = null;
        k++;
        continue;
      }
      if (cls.type === 'comment' || cls.type === 'metadata') {
        commentsFrom ??= k;
        k++;
        continue;
      }
      if (cls.type === 'other' && this.isImplicitRequestLine(k)) return { next: commentsFrom ?? k, implicit: true };
      commentsFrom = null;
      // An indented `@name = value` is a variable before the request line only (httpyac's indent).
      if (cls.type === 'variable' && this.text(line).startsWith('@')) {
        this.variables.push(this.variableOf(line, cls));
        k++;
      } else if (cls.type === 'block-comment') {
        k = this.skipBlockComment(k, to);
      } else if (cls.type === 'import' || cls.type === 'run') {
        draft.foreign.push(this.foreignLine(cls.type, line));
        k++;
      } else if (TAIL_TYPES.has(cls.type)) {
        k = this.tailItem(k, to, cls, draft);
      } else {
        this.error(
          'syntax/unexpected-line',
          `expected an assertion (\`??\`), a response handler (\`>\`), \`>>\`, \`<>\` or \`###\` after the request, but found \`${shorten(this.text(line).trim())}\``,
          this.trimmedSpan(line),
          'a body must come before assertions and handlers; start a new request with `###`',
        );
        k++;
      }
    }
    return { next: k, implicit: false };
  }

  /** One tail construct at line k; `draft` null when it stands where no request is (already reported). */
  private tailItem(k: number, to: number, cls: LineClass, draft: RequestDraft | null): number {
    const line = k;
    const scripts: ScriptNode[] = draft?.scripts ?? [];
    const foreign: ForeignNode[] = draft?.foreign ?? [];
    switch (cls.type) {
      case 'assertion':
        draft?.assertions.push(this.assertionOf(line, cls));
        return k + 1;
      case 'post-script':
        return this.inlineScript(k, to, 'post', cls, scripts);
      case 'post-script-file':
        scripts.push({ kind: 'script', phase: 'post', code: null, path: cls.text, span: this.source.lineSpan(line) });
        return k + 1;
      case 'save':
        draft?.saves.push({ kind: 'save', path: this.pieceTemplate(line, cls), overwrite: cls.overwrite, span: this.source.lineSpan(line) });
        return k + 1;
      case 'response-ref':
        foreign.push(this.foreignLine('response-ref', line));
        return k + 1;
      case 'script-block':
        return this.httpyacScript(k, to, foreign);
      case 'status':
        return this.pastedResponse(k, to, foreign);
      default:
        return k + 1;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Multi-line constructs

  /** `> {% ... %}` / `< {% ... %}`: the script ends at the first `%}` (JetBrains §3.2.4). */
  private inlineScript(k: number, to: number, phase: 'pre' | 'post', cls: Extract<LineClass, { type: 'pre-script' | 'post-script' }>, into: ScriptNode[]): number {
    const first = k;
    if (cls.closed) {
      into.push({ kind: 'script', phase, code: cls.code.trim(), path: null, span: this.source.lineSpan(first) });
      return k + 1;
    }
    const code = [cls.code];
    for (let j = k + 1; j < to; j++) {
      const text = this.text(j);
      const close = text.indexOf('%}');
      if (close !== -1) {
        code.push(text.slice(0, close));
        into.push({ kind: 'script', phase, code: code.join('\n').trim(), path: null, span: this.source.linesSpan(first, j) });
        return j + 1;
      }
      code.push(text);
    }
    this.error(
      'syntax/unclosed-script',
      `the script opened here with \`{%\` is not closed with \`%}\` before ${to < this.source.length ? 'the next `###`' : 'the end of the file'}`,
      this.source.span(first, this.text(first).indexOf('{%'), this.text(first).indexOf('{%') + 2),
      'end the script with a line holding `%}`',
    );
    return to;
  }

  /**
   * httpyac's `fragment Name on Type {`: httpyac reads it to the next blank line; here it also ends
   * at the line where its braces close, so that a request line right below it stays one.
   */
  private graphqlFragment(k: number, to: number): number {
    const first = k;
    let depth = 0;
    let opened = false;
    let end = first;
    do {
      const text = this.text(end++);
      opened ||= text.includes('{');
      depth = braceDepth(text, depth);
    } while (end < to && !this.isBlankLine(end) && !(opened && depth <= 0));
    const pieces = Array.from({ length: end - first }, (_, i) => ({ at: this.source.offset(first + i, 0), text: this.text(first + i) }));
    this.fragments.push({
      kind: 'graphql-fragment',
      name: GRAPHQL_FRAGMENT.exec(this.text(first))![1]!,
      text: this.templates.read(pieces, '\n'),
      span: this.source.linesSpan(first, end - 1),
    });
    return end;
  }

  /** httpyac `{{` ... `}}` script block: kept, never run (SPEC §7). */
  private httpyacScript(k: number, to: number, into: ForeignNode[]): number {
    const first = k;
    for (let j = k + 1; j < to; j++) {
      if (this.text(j).trim() === '}}') {
        const span = this.source.linesSpan(first, j);
        into.push({ kind: 'foreign', what: 'httpyac-script', text: this.textOf(k, j), span });
        this.warning(
          'syntax/script-skipped',
          'httpyac script block `{{ ... }}` skipped: httprun does not run JavaScript from `{{ }}` blocks',
          this.source.lineSpan(first),
          'use `??` assertions, request references (`{{login.response.body.$.token}}`) or a JetBrains `> {% %}` handler',
        );
        return j + 1;
      }
    }
    this.error(
      'syntax/unclosed-script',
      `the script block opened here with \`{{\` is not closed by a line \`}}\` before ${to < this.source.length ? 'the next `###`' : 'the end of the file'}`,
      this.source.lineSpan(first),
      'end the block with a line holding only `}}`',
    );
    return to;
  }

  private skipBlockComment(k: number, to: number): number {
    const first = k;
    const text = this.text(first);
    const open = text.indexOf('/*');
    if (text.indexOf('*/', open + 2) !== -1) return k + 1;
    for (let j = k + 1; j < to; j++) if (this.text(j).includes('*/')) return j + 1;
    this.error(
      'syntax/unclosed-comment',
      `the comment opened here with \`/*\` is not closed with \`*/\` before ${to < this.source.length ? 'the next `###`' : 'the end of the file'}`,
      this.source.span(first, open, open + 2),
      'close it with `*/`',
    );
    return to;
  }

  /** A response pasted after the request (status line, headers, body): up to the next request. */
  private pastedResponse(k: number, to: number, into: ForeignNode[]): number {
    let j = k + 1;
    let afterBlank = false;
    let last = k;
    for (; j < to; j++) {
      if (this.isBlankLine(j)) {
        afterBlank = true;
        continue;
      }
      if (afterBlank && this.isImplicitRequestLine(j)) break;
      afterBlank = false;
      last = j;
    }
    into.push({ kind: 'foreign', what: 'pasted-response', text: this.textOf(k, last), span: this.source.linesSpan(k, last) });
    return last + 1;
  }

  // ---------------------------------------------------------------------------------------------
  // Nodes

  private finishRequest(draft: RequestDraft, preamble: Preamble, title: string | null, start: number, last: number): RequestNode {
    const { syntax, requestLine } = draft;
    const method = syntax.method === null ? 'GET' : syntax.known ? syntax.method.toUpperCase() : syntax.method;
    const written = syntax.method === null ? syntax.target : `${syntax.method} ${syntax.target}`;
    const names = preamble.metadata.filter((m) => m.key === 'name' && m.value !== '');
    // httpyac writes the title as `# @title …` where the `###` line has none.
    title ??= preamble.metadata.findLast((m) => m.key === 'title' && m.value !== '')?.value ?? null;
    const headers = draft.headers.map((header): HeaderNode | HeaderLineNode => {
      const span = this.source.linesSpan(header.first, header.last);
      const value = this.templates.read(header.pieces, header.joiner ?? ' ');
      return header.name === null
        ? { kind: 'header-line', line: value, span }
        : { kind: 'header', name: header.name, value, span };
    });
    return {
      kind: 'request',
      title,
      name: names[names.length - 1]?.value ?? title ?? written,
      metadata: exact(this.sharedMetadata.length === 0 ? preamble.metadata : [...this.sharedMetadata, ...preamble.metadata]),
      method,
      target: this.templates.read(draft.targetPieces),
      httpVersion: draft.version,
      headers,
      body: draft.body,
      assertions: exact(draft.assertions),
      scripts: exact(this.sharedScripts.length === 0 ? draft.scripts : [...this.sharedScripts, ...draft.scripts]),
      saves: exact(draft.saves),
      foreign: exact(draft.foreign),
      requestLine: this.trimmedSpan(requestLine),
      span: this.source.linesSpan(start, last),
    };
  }

  private metadataOf(line: number, cls: Extract<LineClass, { type: 'metadata' }>): MetadataNode[] {
    const span = this.trimmedSpan(line);
    const node: MetadataNode = { kind: 'metadata', key: cls.key, value: cls.value, span };
    if (!isKnownMetadataKey(cls.key)) {
      const suggestion = suggestMetadataKey(cls.key);
      this.warning(
        'syntax/unknown-metadata',
        `unknown metadata \`@${cls.key}\`: kept, but no editor that httprun follows defines it`,
        this.source.span(line, cls.keyStart, cls.keyStart + 1 + cls.key.length),
        suggestion === null ? 'a plain comment does not start with `@`' : `did you mean \`@${suggestion}\`?`,
      );
    }
    if (cls.key === 'import') {
      // `# @import ./auth.http` (httpyac) is metadata and, like `import`, a foreign construct.
      this.foreign.push({ kind: 'foreign', what: 'import', text: this.text(line).trim(), span });
    }
    return [node];
  }

  private variableOf(line: number, cls: Extract<LineClass, { type: 'variable' }>): VariableNode {
    const value = this.templates.readPiece(this.source.offset(line, cls.valueStart), cls.value.trim());
    const span = this.source.span(line, cls.nameStart - 1, this.text(line).trimEnd().length);
    return cls.lazy ? { kind: 'variable', name: cls.name, value, span, lazy: true } : { kind: 'variable', name: cls.name, value, span };
  }

  private pieceTemplate(line: number, piece: Piece): Template {
    return this.templates.readPiece(this.source.offset(line, piece.start), piece.text);
  }

  private foreignLine(what: string, line: number): ForeignNode {
    return { kind: 'foreign', what, text: this.text(line).trim(), span: this.trimmedSpan(line) };
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /**
   * httpyac splits requests without `###` at `METHOD URL` lines (SPEC §7 "Without ###"). A bare
   * `http(s)://...` line splits too: files that list GET requests in JetBrains' short form rely on
   * it, and no body has a line that is only an absolute URL.
   */
  private isImplicitRequestLine(k: number): boolean {
    // Only `h…` (a bare URL) or a capital letter (a method) can start one: most lines end here, unread.
    const code = this.source.charCode(k, 0);
    if (code !== 104 && !(code >= 65 && code <= 90)) return false;
    const text = this.text(k);
    if (/^https?:\/\/\S+$/.test(text)) return true;
    if (!/^[A-Z][A-Z-]* +\S/.test(text)) return false;
    const syntax = this.requestLine(k);
    return syntax !== null && syntax.known && TARGET_LIKE.test(syntax.target);
  }

  private warnDuplicateNames(): void {
    const seen = new Map<string, RequestNode>();
    for (const request of this.requests) {
      const earlier = seen.get(request.name);
      if (earlier === undefined) seen.set(request.name, request);
      const named = request.metadata.filter((m) => m.key === 'name' && m.value !== '').pop();
      // Names taken from `METHOD URL` repeat all the time (two `GET {{host}}/items`); only names
      // someone chose can be meant for a reference or `--name`.
      if (earlier === undefined || (named === undefined && request.title === null)) continue;
      this.warning(
        'syntax/duplicate-name',
        `duplicate request name \`${request.name}\`: the request at line ${earlier.requestLine.start.line} has it too`,
        named?.span ?? this.source.lineSpan(request.span.start.line - 1),
        'a reference binds to the nearest request of that name above it; give each request its own `# @name`',
      );
    }
  }

  private *linesFrom(from: number, to: number): Generator<string> {
    for (let j = from; j < to; j++) yield this.text(j);
  }

  private textOf(from: number, to: number): string {
    const parts: string[] = [];
    for (let j = from; j <= to; j++) parts.push(this.text(j));
    return parts.join('\n');
  }

  /**
   * A request line follows a blank line, a separator, a comment or another structured line; a
   * request split without `###` starts with a capital letter. Reading all such lines in one call
   * spares a grammar call per request (most of the parse time for files of small requests).
   */
  private readRequestLineCandidates(): void {
    const candidates: number[] = [];
    const classes = this.classes;
    for (let index = 0; index < classes.length; index++) {
      if (classes[index]!.type !== 'other') continue;
      const previous = classes[index - 1];
      const first = this.source.charCode(index, 0);
      if (previous !== undefined && previous.type === 'other' && !(first >= 65 && first <= 90)) continue;
      if (REQUEST_LIKE.test(this.source.text(index))) candidates.push(index);
    }
    const parsed = tryRequestLines(candidates.map((index) => this.source.text(index)));
    // The URL continuation lines below them (rare, but a call each would be a call per line).
    const continuations: number[] = [];
    for (let c = 0; c < candidates.length; c++) {
      const index = candidates[c]!;
      this.requestLines.set(index, parsed[c] ?? null);
      if (parsed[c] === null) continue;
      for (let j = index + 1; j < this.source.length; j++) {
        if (this.isBlankLine(j)) break;
        const text = this.source.text(j);
        if (this.isCommentLine(j) && !/^\s*(#|\/\/)\s*@/.test(text)) continue;
        if (!isContinuation(text)) break;
        continuations.push(j);
      }
    }
    const pieces = tryTargetContinuations(continuations.map((index) => this.source.text(index)));
    continuations.forEach((index, i) => this.continuationLines.set(index, pieces[i] ?? null));
  }

  private targetContinuation(index: number): TargetContinuationSyntax | null {
    const known = this.continuationLines.get(index);
    return known === undefined ? tryTargetContinuation(this.text(index)) : known;
  }

  private requestLine(index: number): RequestLineSyntax | null {
    const known = this.requestLines.get(index);
    if (known !== undefined) return known;
    const syntax = tryRequestLine(this.text(index));
    this.requestLines.set(index, syntax);
    return syntax;
  }

  /** The line from its first non-blank character to its end (the whole line when not indented). */
  private fromIndent(line: number): Span {
    const text = this.text(line);
    return this.source.span(line, text.length - text.trimStart().length, text.length);
  }

  /** The line from its first to its last non-blank character. */
  private trimmedSpan(line: number): Span {
    const text = this.text(line);
    return this.source.span(line, text.length - text.trimStart().length, text.trimEnd().length);
  }

  private isSeparator(index: number): boolean {
    return this.source.startsWith(index, '###');
  }

  /** Only blanks and tabs (the classifier read every line once). */
  private isBlankLine(index: number): boolean {
    return this.cls(index).type === 'blank';
  }

  /** `#` or `//` after optional indent: a comment or metadata line. */
  private isCommentLine(index: number): boolean {
    const type = this.cls(index).type;
    return type === 'comment' || type === 'metadata';
  }

  private cls(index: number): LineClass {
    const cls = this.classes[index];
    if (cls === undefined) throw new Error(`line index ${index} out of range`);
    return cls;
  }

  private text(index: number): string {
    this.lineReads++;
    if (index < 0 || index >= this.source.length) throw new Error(`line index ${index} out of range`);
    return this.source.text(index);
  }

  private error(code: string, message: string, span: Span, hint?: string): void {
    this.diagnostics.push(diagnostic('error', code, message, span, hint));
  }

  private warning(code: string, message: string, span: Span, hint?: string): void {
    this.diagnostics.push(diagnostic('warning', code, message, span, hint));
  }
}

function emptyPreamble(): Preamble {
  return { metadata: [], scripts: [], foreign: [], assertions: [], first: null };
}

/** `### Login` → "Login"; `##### Auth #####` → "Auth"; `###` → null. */
function titleOf(text: string): string | null {
  const title = text.replace(/^#+/, '').replace(/#+\s*$/, '').trim();
  return title === '' ? null : title;
}

/**
 * A line that extends the request target: indented, or starting with `?`, `&` or `/path`. An
 * indented `?? ` line is an assertion (classify-line.ts), never part of a URL.
 */
function isContinuation(text: string): boolean {
  return /^[ \t]+(?!\?\?[ \t\f])\S/.test(text) || /^(?:&|\?(?!\?))/.test(text) || /^\/(?![/*])/.test(text);
}

/** The nesting of `{` after `line`, starting at `depth`; braces in GraphQL strings do not count. */
function braceDepth(line: string, depth: number): number {
  const code = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const char of code) {
    if (char === '{') depth++;
    else if (char === '}') depth--;
  }
  return depth;
}

function isMethodWord(word: string): boolean {
  const syntax = tryRequestLine(`${word} /`);
  return syntax !== null && syntax.known;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
