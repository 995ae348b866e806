import { basename } from 'node:path';
import { diagnostic, type Diagnostic, type Span } from '../diagnostics.js';
import { cachedParse, type ReadResult } from './file-cache.js';
import { jsonValue, parseJsonDocument, type JsonNode } from './json-document.js';
import { readSslConfiguration, SSL_CONFIGURATION_KEY, type SslConfiguration } from './ssl-configuration.js';
import { fileStartSpan, indexPositions, stripBom, type PositionIndex } from './text-position.js';
import { variableText } from './variable-value.js';

/**
 * A JetBrains `http-client.env.json` / `http-client.private.env.json`: `{ "$shared": {...}, "dev": {...} }`.
 * Top-level keys starting with `$` other than `$shared` (kulala's `$schema`) are tooling, not environments.
 */
export interface EnvJsonFile {
  path: string;
  shared: Record<string, string>;
  environments: Map<string, { values: Record<string, string>; span: Span; ssl?: SslConfiguration }>;
  diagnostics: Diagnostic[];
  /** False when the file could not be read or parsed: nothing in it counts. */
  ok: boolean;
}

export function readEnvJsonFile(path: string): EnvJsonFile {
  return cachedParse('env-json', path, (read) => {
    const file: EnvJsonFile = { path, shared: {}, environments: new Map(), diagnostics: [], ok: false };
    const document = readJsonDocument(path, read, basename(path));
    if ('diagnostic' in document) {
      file.diagnostics.push(document.diagnostic);
      return file;
    }
    const { text, positions, root } = document;
    if (root.type !== 'object') {
      file.diagnostics.push(
        diagnostic('error', 'config/invalid-type', `${basename(path)} must be a JSON object of environments, got ${describeJson(root)}`, positions.span(root.start, root.end)),
      );
      return file;
    }
    file.ok = true;
    for (const entry of root.entries) {
      const keySpan = positions.span(entry.keyStart, entry.keyEnd);
      if (entry.key.startsWith('$') && entry.key !== '$shared') continue;
      if (entry.value.type !== 'object') {
        const what = entry.key === '$shared' ? '"$shared"' : `environment "${entry.key}"`;
        file.diagnostics.push(
          diagnostic('error', 'config/invalid-type', `${what} in ${basename(path)} must be an object of variables, got ${describeJson(entry.value)}`, positions.span(entry.value.start, entry.value.end)),
        );
        continue;
      }
      // JetBrains' TLS settings of an environment are no variable.
      const sslEntry = entry.key === '$shared' ? undefined : entry.value.entries.find((variable) => variable.key === SSL_CONFIGURATION_KEY);
      // fromEntries and spreads define keys; assignment would let a "__proto__" key reach the prototype.
      const values = Object.fromEntries(
        entry.value.entries.filter((variable) => variable !== sslEntry).map((variable) => [variable.key, variableTextOf(variable.value, text)]),
      );
      if (entry.key === '$shared') file.shared = { ...file.shared, ...values };
      else {
        const environment: { values: Record<string, string>; span: Span; ssl?: SslConfiguration } = { values: { ...file.environments.get(entry.key)?.values, ...values }, span: keySpan };
        if (sslEntry !== undefined) {
          const read = readSslConfiguration(sslEntry.value, path, entry.key, positions);
          file.diagnostics.push(...read.diagnostics);
          environment.ssl = read.ssl;
        }
        file.environments.set(entry.key, environment);
      }
    }
    return file;
  });
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
 * Several env files of one kind (the nearest first) as one: their `$shared` and each environment merged,
 * the nearer file winning on a variable, as httpyac and kulala merge the files from the request file's
 * folder up to the root. JetBrains reads every env file of the project and refuses an environment
 * defined twice, so files that work there merge to the same values. Diagnostics stay on each file.
 */
export function mergeEnvJsonFiles(files: readonly EnvJsonFile[]): EnvJsonFile {
  const [nearest] = files;
  if (nearest === undefined) throw new Error('mergeEnvJsonFiles needs a file');
  if (files.length === 1) return nearest;
  const merged: EnvJsonFile = { path: nearest.path, shared: {}, environments: new Map(), diagnostics: [], ok: files.some((file) => file.ok) };
  for (const file of files.toReversed()) {
    merged.shared = { ...merged.shared, ...file.shared };
    for (const [name, environment] of file.environments) {
      const outer = merged.environments.get(name);
      const ssl = outer?.ssl || environment.ssl ? { ...outer?.ssl, ...environment.ssl } : undefined;
      merged.environments.set(name, { values: { ...outer?.values, ...environment.values }, span: environment.span, ...(ssl ? { ssl } : {}) });
    }
  }
  return merged;
}
