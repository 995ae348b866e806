import { basename } from 'node:path';
import { diagnostic, type Diagnostic, type Span } from '../diagnostics.js';
import { cachedParse, type ReadResult } from './file-cache.js';
import { headerProblem } from './header-problem.js';
import { overrideHeaders } from './override-headers.js';
import { jsonValue, parseJsonDocument, type JsonNode } from './json-document.js';
import { readSslConfiguration, SSL_CONFIGURATION_KEY, type SslConfiguration } from './ssl-configuration.js';
import { fileStartSpan, indexPositions, stripBom, type PositionIndex } from './text-position.js';
import { variableText } from './variable-value.js';

/** kulala's variables shared by every environment (its `$shared`; JetBrains ignores the key). */
export const KULALA_SHARED_KEY = '$kulalaShared';
/** kulala's default headers, in `$kulalaShared` and in an environment. */
export const KULALA_DEFAULT_HEADERS_KEY = '$kulalaDefaultHeaders';

export interface EnvJsonEnvironment {
  values: Record<string, string>;
  span: Span;
  ssl?: SslConfiguration;
  /** kulala's `$kulalaDefaultHeaders` of the environment (over the shared ones). */
  headers?: Record<string, string>;
}

/**
 * A JetBrains `http-client.env.json` / `http-client.private.env.json`: `{ "$shared": {...}, "dev": {...} }`,
 * and kulala's additions: `"$kulalaShared"` (shared variables, below `$shared` on the same name) and
 * `"$kulalaDefaultHeaders"` inside it or inside an environment. Other top-level keys starting with `$`
 * (kulala's `$schema`) are tooling, not environments.
 */
export interface EnvJsonFile {
  path: string;
  /** `$kulalaShared`'s variables, then `$shared`'s (the later wins). */
  shared: Record<string, string>;
  /** `$kulalaShared.$kulalaDefaultHeaders`. */
  sharedHeaders: Record<string, string>;
  environments: Map<string, EnvJsonEnvironment>;
  diagnostics: Diagnostic[];
  /** False when the file could not be read or parsed: nothing in it counts. */
  ok: boolean;
}

export function readEnvJsonFile(path: string): EnvJsonFile {
  return cachedParse('env-json', path, (read) => {
    const label = basename(path);
    const file: EnvJsonFile = { path, shared: {}, sharedHeaders: {}, environments: new Map(), diagnostics: [], ok: false };
    const document = readJsonDocument(path, read, label);
    if ('diagnostic' in document) {
      file.diagnostics.push(document.diagnostic);
      return file;
    }
    const { text, positions, root } = document;
    if (root.type !== 'object') {
      file.diagnostics.push(
        diagnostic('error', 'config/invalid-type', `${label} must be a JSON object of environments, got ${describeJson(root)}`, positions.span(root.start, root.end)),
      );
      return file;
    }
    file.ok = true;
    // Collected apart, so that `$shared` wins over `$kulalaShared` whichever comes first in the file.
    let jetbrainsShared: Record<string, string> = {};
    let kulalaShared: Record<string, string> = {};
    for (const entry of root.entries) {
      const keySpan = positions.span(entry.keyStart, entry.keyEnd);
      const shared = entry.key === '$shared' || entry.key === KULALA_SHARED_KEY;
      if (entry.key.startsWith('$') && !shared) continue;
      if (entry.value.type !== 'object') {
        const what = shared ? `"${entry.key}"` : `environment "${entry.key}"`;
        file.diagnostics.push(
          diagnostic('error', 'config/invalid-type', `${what} in ${label} must be an object of variables, got ${describeJson(entry.value)}`, positions.span(entry.value.start, entry.value.end)),
        );
        continue;
      }
      // JetBrains' TLS settings of an environment are no variable; nor are kulala's default headers (not
      // in JetBrains' `$shared`, where kulala never read them).
      const sslEntry = shared ? undefined : entry.value.entries.find((variable) => variable.key === SSL_CONFIGURATION_KEY);
      const headersEntry = entry.key === '$shared' ? undefined : entry.value.entries.findLast((variable) => variable.key === KULALA_DEFAULT_HEADERS_KEY);
      const headers =
        headersEntry === undefined
          ? undefined
          : readDefaultHeaders(headersEntry.value, shared ? `"${KULALA_SHARED_KEY}"` : `environment "${entry.key}"`, file, text, positions);
      // fromEntries and spreads define keys; assignment would let a "__proto__" key reach the prototype.
      const values = Object.fromEntries(
        entry.value.entries
          .filter((variable) => variable !== sslEntry && !(headersEntry !== undefined && variable.key === KULALA_DEFAULT_HEADERS_KEY))
          .map((variable) => [variable.key, variableTextOf(variable.value, text)]),
      );
      if (entry.key === '$shared') jetbrainsShared = { ...jetbrainsShared, ...values };
      else if (shared) {
        kulalaShared = { ...kulalaShared, ...values };
        file.sharedHeaders = overrideHeaders(file.sharedHeaders, headers);
      } else {
        const before = file.environments.get(entry.key);
        const environment: EnvJsonEnvironment = { values: { ...before?.values, ...values }, span: keySpan };
        if (sslEntry !== undefined) {
          const read = readSslConfiguration(sslEntry.value, path, entry.key, positions);
          file.diagnostics.push(...read.diagnostics);
          environment.ssl = read.ssl;
        }
        if (headers !== undefined || before?.headers !== undefined) environment.headers = overrideHeaders(before?.headers, headers);
        file.environments.set(entry.key, environment);
      }
    }
    file.shared = { ...kulalaShared, ...jetbrainsShared };
    return file;
  });
}

/**
 * kulala's `"$kulalaDefaultHeaders": { "Accept": "application/json" }`: header names and text values. A
 * header no request can carry, or a value that is no text, is an error where it is written, and left out.
 */
function readDefaultHeaders(node: JsonNode, owner: string, file: EnvJsonFile, text: string, positions: PositionIndex): Record<string, string> {
  const where = `"${KULALA_DEFAULT_HEADERS_KEY}" of ${owner} in ${basename(file.path)}`;
  if (node.type !== 'object') {
    file.diagnostics.push(diagnostic('error', 'config/invalid-type', `${where} must be an object of header names and values, got ${describeJson(node)}`, positions.span(node.start, node.end)));
    return {};
  }
  const headers: [string, string][] = [];
  for (const header of node.entries) {
    const { value } = header;
    if (value.type === 'object' || value.type === 'array' || value.type === 'null') {
      file.diagnostics.push(
        diagnostic('error', 'config/invalid-type', `${where}: the value of header "${header.key}" must be text, got ${describeJson(value)}`, positions.span(value.start, value.end)),
      );
      continue;
    }
    const written = variableTextOf(value, text);
    const problem = headerProblem(header.key, written);
    if (problem !== null) {
      const at = problem.part === 'name' ? positions.span(header.keyStart, header.keyEnd) : positions.span(value.start, value.end);
      file.diagnostics.push(diagnostic('error', 'config/invalid-header', `${where}: ${problem.message}`, at));
      continue;
    }
    headers.push([header.key, written]);
  }
  return overrideHeaders(Object.fromEntries(headers));
}

/** A JSON config file's root node with its text and positions, or the diagnostic why there is none. */
export function readJsonDocument(
  path: string,
  read: ReadResult,
  label: string,
): { text: string; positions: PositionIndex; root: JsonNode } | { diagnostic: Diagnostic } {
  if ('error' in read) return { diagnostic: diagnostic('error', 'config/unreadable-file', `cannot read ${path}: ${read.error}`, fileStartSpan(path)) };
  const text = stripBom(read.text);
  const positions = indexPositions(path, text);
  const parsed = parseJsonDocument(text);
  if ('error' in parsed) {
    const at = positions.span(parsed.error.offset, parsed.error.offset + 1);
    // httpyac (JSON.parse) and kulala (vim.json.decode) read these files strictly too, and skip one that
    // does not parse without a word: a commented file defines nothing there either.
    const hint = text.startsWith('//', parsed.error.offset) || text.startsWith('/*', parsed.error.offset)
      ? 'JSON has no comments (httpyac and kulala silently skip a file with one): remove the comment'
      : undefined;
    return { diagnostic: diagnostic('error', 'config/invalid-json', `${label} is not valid JSON: ${parsed.error.message}`, at, hint) };
  }
  return { text, positions, root: parsed.node };
}

export function describeJson(node: JsonNode): string {
  if (node.type === 'array') return 'an array';
  if (node.type === 'object') return 'an object';
  if (node.type === 'null') return 'null';
  return `a ${node.type} (${JSON.stringify(node.value)})`;
}

/** Numbers as written: `"version": 1.10` means "1.10", not "1.1". */
function variableTextOf(node: JsonNode, text: string): string {
  return node.type === 'number' ? text.slice(node.start, node.end) : variableText(jsonValue(node));
}

/**
 * Several env files of one kind (the nearest first) as one: their `$shared` (with `$kulalaShared`), kulala's
 * default headers and each environment merged,
 * the nearer file winning on a variable, as httpyac and kulala merge the files from the request file's
 * folder up to the root. JetBrains reads every env file of the project and refuses an environment
 * defined twice, so files that work there merge to the same values. Diagnostics stay on each file.
 */
export function mergeEnvJsonFiles(files: readonly EnvJsonFile[]): EnvJsonFile {
  const [nearest] = files;
  if (nearest === undefined) throw new Error('mergeEnvJsonFiles needs a file');
  if (files.length === 1) return nearest;
  const merged: EnvJsonFile = { path: nearest.path, shared: {}, sharedHeaders: {}, environments: new Map(), diagnostics: [], ok: files.some((file) => file.ok) };
  for (const file of files.toReversed()) {
    merged.shared = { ...merged.shared, ...file.shared };
    merged.sharedHeaders = overrideHeaders(merged.sharedHeaders, file.sharedHeaders);
    for (const [name, environment] of file.environments) {
      const outer = merged.environments.get(name);
      const ssl = outer?.ssl || environment.ssl ? { ...outer?.ssl, ...environment.ssl } : undefined;
      const headers = outer?.headers || environment.headers ? overrideHeaders(outer?.headers, environment.headers) : undefined;
      merged.environments.set(name, {
        values: { ...outer?.values, ...environment.values },
        span: environment.span,
        ...(ssl ? { ssl } : {}),
        ...(headers ? { headers } : {}),
      });
    }
  }
  return merged;
}
