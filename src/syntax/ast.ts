import type { Diagnostic, Span } from '../diagnostics.js';

/**
 * A piece of text with placeholders. Every value a user writes (URL, header value, body text,
 * variable value, assertion) is a Template, so resolving is one function for all of them.
 */
export type TemplatePart =
  | { kind: 'text'; value: string }
  /** `{{name}}`, also request references such as `{{login.response.body.$.token}}`. Name is trimmed. */
  | ({ kind: 'variable'; name: string; span: Span } & Encoded)
  /** `{{$uuid}}`, `{{$datetime iso8601 1 d}}`: name without `$` ("uuid", "random.integer"), args raw (may be ""). */
  | ({ kind: 'dynamic'; name: string; args: string; span: Span } & Encoded)
  /** `<<NAME>>` */
  | ({ kind: 'secret'; name: string; span: Span } & Encoded)
  /** `{{ expression }}` that is not a plain name: kept as written, never evaluated. */
  | ({ kind: 'expression'; code: string; span: Span } & Encoded);

/**
 * `percentEncoded`: the placeholder's value goes out percent-encoded (curl's `--data-urlencode
 * 'pw={{pw}}'` encodes the text the shell hands it, so the value is rendered first, then encoded).
 * Absent on every placeholder a .http line writes.
 */
interface Encoded {
  percentEncoded?: true;
}

export interface Template {
  parts: TemplatePart[];
  span: Span;
}

/** `@name = value` (file variable; applies from its line on, see SPEC §7). */
export interface VariableNode {
  kind: 'variable';
  name: string;
  value: Template;
  span: Span;
  /**
   * httpyac's `@name := value`: the placeholders in the value are read where the variable is used,
   * not at its own line (so a later `@bar` counts). Absent for `=`.
   */
  lazy?: true;
}

/** `# @key value` / `// @key value`; value is "" when absent. */
export interface MetadataNode {
  kind: 'metadata';
  key: string;
  value: string;
  span: Span;
}

export interface HeaderNode {
  kind: 'header';
  name: string;
  value: Template;
  span: Span;
}

/** `{{auth}}` alone where a header goes: its value is a whole `Name: value` line. */
export interface HeaderLineNode {
  kind: 'header-line';
  line: Template;
  span: Span;
}

/** One piece of a request body, in order. Text pieces have `//` comment lines removed. */
export type BodyPart =
  | { kind: 'text'; text: Template; span: Span }
  /** `< ./file` (substitute false) or `<@ ./file` / `<@utf-8 ./file` (substitute true). */
  | { kind: 'file'; path: Template; substitute: boolean; encoding: string | null; span: Span };

export interface BodyNode {
  kind: 'body';
  parts: BodyPart[];
  span: Span;
}

/** `?? status == 200`: `text` is the whole line as written, `source` what follows `??`. */
export interface AssertionNode {
  kind: 'assertion';
  text: string;
  source: Template;
  span: Span;
}

/** JetBrains `> {% ... %}` (phase 'post') / `< {% ... %}` (phase 'pre'), or `> ./handler.js`. */
export interface ScriptNode {
  kind: 'script';
  phase: 'pre' | 'post';
  code: string | null;
  path: string | null;
  span: Span;
}

/** `>> file` (overwrite false) / `>>! file` (overwrite true): save the response body. */
export interface SaveNode {
  kind: 'save';
  path: Template;
  overwrite: boolean;
  span: Span;
}

/** Things the runner knows of but does not run; kept so `check` can warn at their line. */
export interface ForeignNode {
  kind: 'foreign';
  /** e.g. 'response-ref' (`<> file`), 'httpyac-script' (`{{ }}` block), 'pasted-response', 'import', 'run'. */
  what: string;
  text: string;
  span: Span;
}

/**
 * httpyac: `fragment Name on Type { ... }` written outside any request body (to a blank line or
 * where its braces close). A GraphQL query that spreads `...Name` is sent with it appended.
 */
export interface GraphqlFragmentNode {
  kind: 'graphql-fragment';
  name: string;
  text: Template;
  span: Span;
}

export interface RequestNode {
  kind: 'request';
  /** `###` title, trimmed, banner `#`s stripped; null when absent or empty. */
  title: string | null;
  /** `# @name` > title > `METHOD URL` as written. */
  name: string;
  metadata: MetadataNode[];
  method: string;
  /** The URL with continuation lines joined (no whitespace between them). */
  target: Template;
  /** 'HTTP/1.1', 'HTTP/2', 'HTTP/2 (Prior Knowledge)' or null. */
  httpVersion: string | null;
  headers: (HeaderNode | HeaderLineNode)[];
  body: BodyNode | null;
  assertions: AssertionNode[];
  scripts: ScriptNode[];
  saves: SaveNode[];
  foreign: ForeignNode[];
  /**
   * The GraphQL fragments written outside request bodies anywhere in the file (httpyac collects
   * them per file), in source order; absent when the file has none.
   */
  graphqlFragments?: GraphqlFragmentNode[];
  /** The request line (first line of the URL). */
  requestLine: Span;
  /** From the `###` line (or the first line of the request) to the end of the block. */
  span: Span;
}

export interface HttpFileNode {
  kind: 'file';
  file: string;
  /** All `@name = value` lines of the file, in source order (also those inside request blocks). */
  variables: VariableNode[];
  requests: RequestNode[];
  /** `# @import`, `import x`, `run #Name` and other file-level constructs, in source order. */
  foreign: ForeignNode[];
  /** File-level metadata outside any request (e.g. `# @import ./auth.http`). */
  metadata: MetadataNode[];
  /** `??` lines in a block without a request line (httpyac's global assertions): checked on every response of the file. */
  assertions: AssertionNode[];
  span: Span;
}

export interface ParseResult {
  ast: HttpFileNode;
  diagnostics: Diagnostic[];
}
