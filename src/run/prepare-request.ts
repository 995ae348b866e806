import { readFileSync } from 'node:fs';
import { describeIoError } from '../describe-io-error.js';
import { dirname, isAbsolute, resolve as resolvePath, relative } from 'node:path';
import type { Span } from '../diagnostics.js';
import type { PreparedRequest } from '../execute/prepared-request.js';
import type { BodyPart, GraphqlFragmentNode, MetadataNode, RequestNode, Template } from '../syntax/ast.js';
import { parseTemplate } from '../syntax/parse.js';
import { renderTemplate, renderTemplateInto, type Problem, type RenderContext, type Rendered } from '../resolve/render-template.js';
import { encodeFormText } from './encode-form-text.js';
import { headerProblem } from '../config/header-problem.js';

export interface Prepared {
  request: PreparedRequest;
  problems: Problem[];
  warnings: Problem[];
  /** Requests whose responses this request needs. */
  references: RequestNode[];
  /** Files read for the body (watch mode re-runs on their change). */
  files: string[];
  /**
   * Whether the request depends only on the file, --var and the environment (no secret, dynamic
   * value, reference, script-set name or body file): then a static render equals the one at send time.
   */
  fixed: boolean;
}

/** Hop-by-hop headers an HTTP/1.1 client manages itself (the same list send-request drops). */
const MANAGED_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te']);
const MANAGED_LENGTHS = new Set([...MANAGED_HEADERS].map((name) => name.length));

/** Lowercases only a name as long as one of them: most (Content-Type, Authorization) are not. */
function isManagedHeader(name: string): boolean {
  return MANAGED_LENGTHS.has(name.length) && MANAGED_HEADERS.has(name.toLowerCase());
}

export interface PrepareOptions {
  file: string;
  cwd: string;
  /**
   * `check`'s static pass: every problem and warning is found as usual, but a request that is not
   * `fixed` (so never sent as rendered here) comes back without its body assembled: no buffers,
   * no GraphQL or form rewriting for text nobody sends.
   */
  check?: boolean;
}

/**
 * Renders a request node into what goes on the wire. In static mode (context.readReference null)
 * references stay as written, which is what `--dry-run` prints and what `check` inspects.
 */
export function prepareRequest(node: RequestNode, context: RenderContext, options: PrepareOptions): Prepared {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const references: RequestNode[] = [];
  const files: string[] = [];
  const line = node.requestLine.start.line;
  let fixed = true;
  // One accumulator for every template of the request: problems and references land in its lists.
  const acc: Rendered = { text: '', problems, references, volatile: false };
  const render = (template: Template): string => renderTemplateInto(template, context, line, acc);

  let url = render(node.target).trim();
  const headers: [string, string][] = [];
  // A header no request can carry is the file's error at its line, not undici's at send time.
  const addHeader = (name: string, value: string, span: Span, what = '') => {
    const invalid = headerProblem(name, value);
    if (invalid !== null) problems.push({ code: 'resolve/invalid-header', message: `${what}${invalid.message}`, span });
    headers.push([name, value]);
  };
  let bodyFromHeaderLine: string | null = null;
  for (let index = 0; index < node.headers.length; index++) {
    const header = node.headers[index]!;
    if (header.kind === 'header') {
      // The client sends these itself (SPEC §7); send-request drops them, the file gets told where.
      if (isManagedHeader(header.name)) {
        warnings.push({
          code: 'resolve/managed-header',
          message: `the header ${header.name} is not sent: the HTTP client manages it`,
          span: header.span,
        });
      }
      addHeader(header.name, render(header.value).trim(), header.span);
      continue;
    }
    const text = render(header.line);
    const isLast = index === node.headers.length - 1;
    // httpyac lets a body follow the headers without a blank line: `{{json.args.id}}` there is body.
    if (isLast && node.body === null && !/^[^\s:]+:/.test(text.trim())) {
      bodyFromHeaderLine = text;
      continue;
    }
    for (const lineText of text.split(/\r?\n/)) {
      if (lineText.trim() === '') continue;
      const colon = lineText.indexOf(':');
      if (colon <= 0) {
        if (context.readReference === null && lineText.includes('{{')) {
          fixed = false;
          continue;
        }
        problems.push({
          code: 'resolve/header-line',
          message: `the variable on this line gave "${lineText}", which is not a header "Name: value"`,
          span: header.span,
        });
        continue;
      }
      addHeader(lineText.slice(0, colon).trim(), lineText.slice(colon + 1).trim(), header.span);
    }
  }

  // Default headers (REST Client, httpyac, kulala): for the headers the request does not write (placeholders are read).
  const { defaultHeaders, secretDefaultHeaders } = context.table.environment.config;
  for (const [name, value] of defaultHeaders === undefined ? [] : Object.entries(defaultHeaders)) {
    if (headerValue(headers, name) !== undefined) continue;
    // Placeholders are rare here: plain text skips the parse a request would otherwise repeat.
    const text = value.includes('{{') || value.includes('<<') ? render(parseTemplate(value, node.requestLine)) : value;
    // One from http-client.private.env.json is a secret, as its variables are (rendered again at send time to register it).
    if (secretDefaultHeaders?.includes(name.toLowerCase())) {
      fixed = false;
      if (text.trim() !== '') context.onSecret(name, text.trim());
    }
    // A written value was checked where it is configured; one from a variable is checked here.
    if (text === value) headers.push([name, text.trim()]);
    else addHeader(name, text.trim(), node.requestLine, 'default header: ');
  }

  // Origin-form targets (`/path`) take their host from a Host header or an @host variable; so does
  // the asterisk form (`OPTIONS * HTTP/1.1`), which names the server only.
  const asteriskForm = url === '*';
  if (url.startsWith('/') || asteriskForm) {
    const host = headerValue(headers, 'host');
    const hostVariable = host === undefined ? hostFromVariable(context, line, () => (fixed = false)) : undefined;
    if (host !== undefined && /^https?:\/\//i.test(host)) {
      // JetBrains (`Host: http://example.com:8080`) and kulala allow a URL here; the wire gets its authority.
      url = `${host.replace(/\/+$/, '')}${url === '*' ? '' : url}`;
      const authority = /^https?:\/\/([^/?#]*)/i.exec(host)![1]!;
      for (const entry of headers) if (entry[0].toLowerCase() === 'host') entry[1] = authority;
    } else if (host !== undefined) url = `http://${host}${url === '*' ? '' : url}`;
    else if (hostVariable !== undefined) url = `${hostVariable.replace(/\/+$/, '')}${url === '*' ? '' : url}`;
    else {
      problems.push({
        code: 'resolve/no-host',
        message: `the request target ${url} has no host`,
        span: node.requestLine,
        hint: 'write an absolute URL, add a Host: header, or define @host = http://...',
      });
    }
  }

  let method = node.method.toUpperCase();
  const baseDir = dirname(options.file);
  let body: PreparedRequest['body'] = null;
  if (node.body) {
    const multipart = /^multipart\//i.test(headerValue(headers, 'content-type') ?? '');
    const chunks: (string | Buffer)[] = [];
    let single: { path: string } | null = null;
    // A GraphQL query read from a file (kulala `< ./query.graphql`) still goes out as {query, variables}.
    const graphqlDeclared = isGraphqlDeclared(method, headers);
    let gqlOperation: string | undefined;
    const parts = node.body.parts;
    // httpyac's `# @injectVariables`: `< ./file` substitutes variables as `<@ ./file` does.
    const inject = node.metadata.some(injectsVariables);
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index]!;
      if (index > 0) chunks.push(multipart ? '\r\n' : '\n');
      if (part.kind === 'text') {
        let text = render(part.text);
        if (multipart) text = text.replace(/\r?\n/g, '\r\n');
        else if (index === 0) {
          const imported = importGqlFile(text, part.span, baseDir, problems);
          if (imported !== null) {
            text = imported.text;
            gqlOperation = imported.operationName;
            files.push(imported.path);
          }
        }
        chunks.push(text);
        continue;
      }
      const read = readBodyFile(part, render, baseDir, options.cwd, problems, warnings);
      if (read === null) continue;
      files.push(read.path);
      const substitute = part.substitute || inject;
      if (parts.length === 1 && !substitute && !graphqlDeclared) {
        single = { path: read.path };
        continue;
      }
      if (substitute) {
        const text = read.bytes.toString(bodyEncoding(part.encoding));
        const rendered = renderTemplate(parseTemplate(text, part.span), context, line);
        if (rendered.volatile) fixed = false;
        problems.push(...rendered.problems);
        chunks.push(rendered.text);
      } else chunks.push(read.bytes);
    }
    const sendable = fixed && !acc.volatile && problems.length === 0 && references.length === 0 && files.length === 0;
    if (options.check === true && !sendable) body = null;
    else body = single ?? joinChunks(chunks);
    if (Buffer.isBuffer(body)) {
      const contentType = headerValue(headers, 'content-type') ?? '';
      if (/application\/x-www-form-urlencoded/i.test(contentType)) {
        // Form fields written one per line (`&b=2`) are joined, as REST Client does; an inline form is
        // percent-encoded where it must be (`a b` → `a%20b`), as REST Client and httpyac send it.
        const form = body.toString('utf8').replace(/(?:\r?\n)+(?=&)|(?<=&)(?:\r?\n)+/g, '');
        body = Buffer.from(parts.every((part) => part.kind === 'text') ? encodeFormText(form) : form, 'utf8');
      }
      const fragments = node.graphqlFragments ?? [];
      const graphql = asGraphql(method, headers, body.toString('utf8'), gqlOperation, (query) => withFragments(query, fragments, render));
      if (typeof graphql === 'object' && graphql !== null) {
        problems.push({
          code: 'resolve/graphql-variables',
          message: `the GraphQL variables below the query are not valid JSON: ${graphql.invalidVariables}`,
          span: lastLineOf(node.body?.span ?? node.requestLine),
          hint: 'the block after the blank line below the query is sent as "variables"; check its quotes and commas (a value with a " needs \\")',
        });
      } else if (graphql !== null) {
        method = 'POST';
        body = Buffer.from(graphql, 'utf8');
        removeHeader(headers, 'x-request-type');
        if (headerValue(headers, 'content-type') === undefined) headers.push(['Content-Type', 'application/json']);
      }
    }
  } else if (bodyFromHeaderLine !== null) {
    body = Buffer.from(bodyFromHeaderLine, 'utf8');
  } else if (method === 'GRAPHQL') method = 'POST';

  const request: PreparedRequest = { method, url, headers, body, httpVersion: node.httpVersion };
  // Set only when true (a spread of a conditional object costs a copy per request).
  if (asteriskForm) request.asteriskForm = true;
  return {
    request,
    problems,
    warnings,
    references,
    files,
    fixed: fixed && !acc.volatile && problems.length === 0 && references.length === 0 && files.length === 0,
  };
}

function injectsVariables(meta: MetadataNode): boolean {
  return meta.key === 'injectVariables' || meta.key === 'inject-variables';
}

function joinChunks(chunks: readonly (string | Buffer)[]): Buffer {
  if (chunks.length === 1 && typeof chunks[0] === 'string') return Buffer.from(chunks[0], 'utf8');
  return Buffer.concat(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk)));
}

function readBodyFile(
  part: Extract<BodyPart, { kind: 'file' }>,
  render: (template: Template) => string,
  baseDir: string,
  cwd: string,
  problems: Problem[],
  warnings: Problem[],
): { path: string; bytes: Buffer } | null {
  const written = render(part.path).trim();
  const path = isAbsolute(written) ? written : resolvePath(baseDir, written);
  const fromProject = relative(cwd, path);
  if (fromProject.startsWith('..') && relative(baseDir, path).startsWith('..')) {
    warnings.push({
      code: 'resolve/file-outside-project',
      message: `the body file ${written} is outside the project (${path})`,
      span: part.span,
    });
  }
  try {
    return { path, bytes: readFileSync(path) };
  } catch (error) {
    problems.push({
      code: 'resolve/body-file',
      message: `cannot read the body file ${written}: ${describeIoError(error)}`,
      span: part.span,
    });
    return null;
  }
}

function bodyEncoding(encoding: string | null): BufferEncoding {
  const normalized = (encoding ?? 'utf8').toLowerCase().replace(/[-_]/g, '');
  if (normalized === 'latin1' || normalized === 'iso88591') return 'latin1';
  if (normalized === 'ascii' || normalized === 'usascii') return 'ascii';
  if (normalized === 'utf16le' || normalized === 'ucs2') return 'utf16le';
  return 'utf8';
}

function hostFromVariable(context: RenderContext, line: number, onVolatile: () => void): string | undefined {
  const span: Span = { file: '', start: { line, column: 1, offset: 0 }, end: { line, column: 1, offset: 0 } };
  const probe = renderTemplate({ parts: [{ kind: 'variable', name: 'host', span }], span }, context, line);
  if (probe.volatile) onVolatile();
  if (probe.problems.length > 0) return undefined;
  const host = probe.text.trim();
  return /^https?:\/\//i.test(host) ? host : host ? `http://${host}` : undefined;
}

export function headerValue(headers: readonly [string, string][], name: string): string | undefined {
  const lower = name.toLowerCase();
  // Lengths first: most headers are not the one asked for, and lowercasing copies the name.
  for (const [key, value] of headers) if (key.length === lower.length && key.toLowerCase() === lower) return value;
  return undefined;
}

function removeHeader(headers: [string, string][], name: string): void {
  const lower = name.toLowerCase();
  for (let i = headers.length - 1; i >= 0; i--) if (headers[i]![0].toLowerCase() === lower) headers.splice(i, 1);
}

const GRAPHQL_START = /^\s*(query|mutation|subscription|fragment)\b|^\s*\{/;
/** An operation as httpyac sees one, the keyword followed by a name, variables, a directive or a selection. */
const IMPLICIT_OPERATION = /^\s*(?:query|mutation|subscription)(?:\s*[({@]|\s+[_A-Za-z][_0-9A-Za-z]*\s*[({@])/;

function isGraphqlDeclared(method: string, headers: readonly [string, string][]): boolean {
  return method === 'GRAPHQL' || /^graphql$/i.test(headerValue(headers, 'x-request-type') ?? '');
}

const GQL_IMPORT = /^[ \t]*gql(?:[ \t]+([^\s(]+))?[ \t]+<[ \t]+(.+?)[ \t]*$/;
/** What every GQL_IMPORT line starts with: a body that does not is not cut into lines at all. */
const GQL_IMPORT_START = /^[ \t]*gql[ \t]/;

/**
 * httpyac's `gql [operationName] < ./query.gql` as the first body line: the query comes from that
 * file (read as is), the rest of the body may hold the JSON variables.
 */
function importGqlFile(
  text: string,
  span: Span,
  baseDir: string,
  problems: Problem[],
): { text: string; operationName: string | undefined; path: string } | null {
  if (!GQL_IMPORT_START.test(text)) return null;
  const newline = text.indexOf('\n');
  const first = (newline === -1 ? text : text.slice(0, newline)).replace(/\r$/, '');
  const match = GQL_IMPORT.exec(first);
  if (match === null) return null;
  const written = match[2]!;
  const path = isAbsolute(written) ? written : resolvePath(baseDir, written);
  try {
    const query = readFileSync(path, 'utf8').trim();
    return { text: query + (newline === -1 ? '' : text.slice(newline)), operationName: match[1], path };
  } catch (error) {
    problems.push({
      code: 'resolve/body-file',
      message: `cannot read the GraphQL file ${written}: ${describeIoError(error)}`,
      span,
    });
    return null;
  }
}

/** GraphQL bodies go out as JSON { query, variables, operationName? } (SPEC §7). */
function asGraphql(
  method: string,
  headers: readonly [string, string][],
  text: string,
  operationName?: string,
  completeQuery: (query: string) => string = (query) => query,
): string | { invalidVariables: string } | null {
  const declared = isGraphqlDeclared(method, headers);
  const contentType = headerValue(headers, 'content-type');
  // Only the shape of an operation (`query {`, `query Name(`, `mutation @dir {`) counts: a form
  // `query=abc` or the text `query the users` is no GraphQL. `application/graphql` asks for the
  // query text itself, which is what the file holds: it is sent as written.
  const implicit =
    !declared &&
    method === 'POST' &&
    IMPLICIT_OPERATION.test(text) &&
    (contentType === undefined || /json/i.test(contentType));
  if (!declared && !implicit) return null;
  if (!GRAPHQL_START.test(text) && !declared) return null;
  // A body that is JSON already (e.g. a prepared {"query": ...}) is no query text: sent as written.
  if (/^\s*\{/.test(text) && isJson(text)) return text;
  const split = splitGraphql(text);
  if (split.invalid !== undefined) return { invalidVariables: split.invalid };
  const query = completeQuery(split.query);
  const variables = split.variables;
  const payload: Record<string, unknown> = { query };
  if (variables !== undefined) payload.variables = variables;
  const operation = operationName ?? /^\s*(?:query|mutation|subscription)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(query)?.[1];
  if (operation) payload.operationName = operation;
  return JSON.stringify(payload);
}

const FRAGMENT_SPREAD = /\.\.\.[ \t\r\n]*([_A-Za-z][_0-9A-Za-z]*)/g;
const FRAGMENT_DEFINITION = /\bfragment[ \t\r\n]+([_A-Za-z][_0-9A-Za-z]*)[ \t\r\n]+on\b/g;

/**
 * httpyac appends the file's fragments that a query spreads (`...Name`) to it, in file order. Here
 * also the fragments those spread, and none the query defines itself (the server would reject a
 * fragment defined twice). `... on Type` is an inline fragment, no spread of a name.
 */
function withFragments(query: string, fragments: readonly GraphqlFragmentNode[], render: (template: Template) => string): string {
  if (fragments.length === 0) return query;
  const byName = new Map<string, GraphqlFragmentNode>();
  // A name written twice: the later fragment, as httpyac keeps it.
  for (const fragment of fragments) byName.set(fragment.name, fragment);
  const defined = new Set([...query.matchAll(FRAGMENT_DEFINITION)].map((match) => match[1]!));
  const texts = new Map<GraphqlFragmentNode, string>();
  const pending = spreadNames(query);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const fragment = byName.get(name);
    if (fragment === undefined || defined.has(name)) continue;
    defined.add(name);
    const text = render(fragment.text).trimEnd();
    texts.set(fragment, text);
    pending.push(...spreadNames(text));
  }
  return [query, ...fragments.filter((fragment) => texts.has(fragment)).map((fragment) => texts.get(fragment)!)].join('\n');
}

function spreadNames(text: string): string[] {
  return [...text.matchAll(FRAGMENT_SPREAD)].map((match) => match[1]!).filter((name) => name !== 'on');
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The query, then (after a blank line) an optional JSON object of variables. */
/** The last line of `span` (a body's last line: where its variables block ends). */
function lastLineOf(span: Span): Span {
  const end = span.end;
  return { file: span.file, start: { line: end.line, column: 1, offset: end.offset - (end.column - 1) }, end };
}

/**
 * The query, and the JSON variables block after it (past a blank line). A trailing block that is
 * meant as JSON (`{"` or `{}`: no GraphQL selection starts so) but does not parse is `invalid`, with
 * JSON's reason: sent as part of the query, the server would get neither what the file meant.
 */
function splitGraphql(text: string): { query: string; variables?: unknown; invalid?: string } {
  const normalized = text.replace(/\r\n/g, '\n');
  const blocks = normalized.split(/\n[ \t]*\n/);
  let invalid: string | undefined;
  for (let i = blocks.length - 1; i > 0; i--) {
    const tail = blocks.slice(i).join('\n\n').trim();
    if (!tail.startsWith('{')) continue;
    try {
      const variables: unknown = JSON.parse(tail);
      return { query: blocks.slice(0, i).join('\n\n').trim(), variables };
    } catch (error) {
      // V8 quotes the text it stopped at, line breaks and all: a diagnostic is one line.
      if (/^\{\s*["}]/.test(tail)) invalid = (error as Error).message.replace(/\s*\n\s*/g, ' ');
    }
  }
  return invalid === undefined ? { query: normalized.trim() } : { query: normalized.trim(), invalid };
}
