import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Jsonc from 'jsonc-parser';
import { diagnostic, type Diagnostic, type Span } from '../diagnostics.js';
import { readCertificateFile } from './certificate-file.js';
import { headerProblem } from './header-problem.js';
import { cachedParse } from './file-cache.js';
import type { ClientCertificate } from './project-config.js';
import { fileStartSpan, indexPositions, stripBom, type PositionIndex } from './text-position.js';
import { variableText } from './variable-value.js';

type Node = Jsonc.Node;
type ParseError = Jsonc.ParseError;

// Loaded when a settings.json is found: most runs have none, and the import costs ~20 ms at start-up.
let jsoncLibrary: typeof Jsonc | undefined;
const jsonc = (): typeof Jsonc => (jsoncLibrary ??= createRequire(import.meta.url)('jsonc-parser') as typeof Jsonc);

/** Where REST Client users keep their environments: the workspace settings of VS Code. */
export const VSCODE_SETTINGS_FILE = join('.vscode', 'settings.json');
export const REST_CLIENT_ENVIRONMENTS_KEY = 'rest-client.environmentVariables';
/** REST Client's client certificates per host: `{ "localhost:8081": { "cert": "...", "key": "..." } }`. */
export const REST_CLIENT_CERTIFICATES_KEY = 'rest-client.certificates';
/** REST Client's headers for every request that does not write them (`{"User-Agent": "..."}`). */
export const REST_CLIENT_DEFAULT_HEADERS_KEY = 'rest-client.defaultHeaders';
const SHARED = '$shared';
/** How messages name the file, whatever the platform's separator. */
export const VSCODE_SETTINGS_LABEL = '.vscode/settings.json';

/**
 * The `rest-client.environmentVariables` of a `.vscode/settings.json` (JSONC: comments and trailing
 * commas, as VS Code reads it). Shaped like an EnvJsonFile so that it layers the same way; every other
 * key of the file is VS Code's business and is ignored.
 */
export interface VscodeSettingsFile {
  path: string;
  shared: Record<string, string>;
  /**
   * Each environment's values, with REST Client's `{{$shared name}}` already replaced. `diagnostics`
   * are the references `$shared` does not define: they matter only when that environment is selected.
   */
  environments: Map<string, { values: Record<string, string>; span: Span; diagnostics: Diagnostic[] }>;
  diagnostics: Diagnostic[];
  /** `rest-client.defaultHeaders`. */
  defaultHeaders: Record<string, string>;
  /** `rest-client.certificates`, by host (lower case), the files read; paths relative to the workspace folder. */
  certificates: Record<string, ClientCertificate>;
  /** False when the file could not be read or parsed: nothing in it counts. */
  ok: boolean;
}

export function readVscodeSettingsFile(path: string): VscodeSettingsFile {
  return cachedParse('vscode-settings', path, (read) => {
    const file: VscodeSettingsFile = { path, shared: {}, environments: new Map(), diagnostics: [], defaultHeaders: {}, certificates: {}, ok: false };
    if ('error' in read) {
      file.diagnostics.push(diagnostic('error', 'config/unreadable-file', `cannot read ${path}: ${read.error}`, fileStartSpan(path)));
      return file;
    }
    const text = stripBom(read.text);
    const positions = indexPositions(path, text);
    const errors: ParseError[] = [];
    // VS Code's own settings reader: comments and trailing commas allowed, an empty file is `{}`.
    const root = jsonc().parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
    const first = errors[0];
    if (first !== undefined) {
      const at = positions.span(first.offset, first.offset + Math.max(1, first.length));
      file.diagnostics.push(diagnostic('error', 'config/invalid-json', `${VSCODE_SETTINGS_LABEL} is not valid JSON: ${syntaxMessage(first, text)}`, at));
      return file;
    }
    if (root === undefined) {
      file.ok = true;
      return file;
    }
    if (root.type !== 'object') {
      file.diagnostics.push(diagnostic('error', 'config/invalid-type', `${VSCODE_SETTINGS_LABEL} must be a JSON object, got ${describeNode(root)}`, spanOf(root, positions)));
      return file;
    }
    file.ok = true;
    const nodes: ValueNodes = new Map();
    // VS Code lets a later duplicate key win; so do we, by reading the properties in order.
    for (const property of root.children ?? []) {
      const [key, environments] = property.children ?? [];
      if (key?.value === REST_CLIENT_DEFAULT_HEADERS_KEY && environments !== undefined) {
        readDefaultHeaders(file, environments, text, positions);
        continue;
      }
      if (key?.value === REST_CLIENT_CERTIFICATES_KEY && environments !== undefined) {
        readCertificates(file, environments, positions);
        continue;
      }
      if (key?.value !== REST_CLIENT_ENVIRONMENTS_KEY || environments === undefined) continue;
      if (environments.type !== 'object') {
        file.diagnostics.push(
          diagnostic('error', 'config/invalid-type', `"${REST_CLIENT_ENVIRONMENTS_KEY}" in ${VSCODE_SETTINGS_LABEL} must be an object of environments, got ${describeNode(environments)}`, spanOf(environments, positions)),
        );
        continue;
      }
      readEnvironments(file, environments, nodes, text, positions);
    }
    resolveSharedReferences(file, nodes, text, positions);
    return file;
  });
}

const CERTIFICATE_FIELDS = ['cert', 'key', 'pfx', 'passphrase'] as const;

function readCertificates(file: VscodeSettingsFile, hosts: Node, positions: PositionIndex): void {
  const label = `"${REST_CLIENT_CERTIFICATES_KEY}" in ${VSCODE_SETTINGS_LABEL}`;
  if (hosts.type !== 'object') {
    file.diagnostics.push(diagnostic('error', 'config/invalid-type', `${label} must be an object of hosts, got ${describeNode(hosts)}`, spanOf(hosts, positions)));
    return;
  }
  // Relative paths are the workspace folder's: the one holding .vscode/.
  const workspace = dirname(dirname(file.path));
  for (const entry of hosts.children ?? []) {
    const [host, fields] = entry.children ?? [];
    if (host === undefined || fields === undefined || typeof host.value !== 'string') continue;
    if (fields.type !== 'object') {
      file.diagnostics.push(diagnostic('error', 'config/invalid-type', `${label}: "${host.value}" must be { cert, key } or { pfx, passphrase }, got ${describeNode(fields)}`, spanOf(fields, positions)));
      continue;
    }
    const certificate: ClientCertificate = {};
    let ok = true;
    for (const field of fields.children ?? []) {
      const [name, value] = field.children ?? [];
      const key = CERTIFICATE_FIELDS.find((known) => known === name?.value);
      if (key === undefined || value === undefined) continue;
      if (value.type !== 'string') {
        file.diagnostics.push(diagnostic('error', 'config/invalid-type', `${label}: "${host.value}".${key} must be a string, got ${describeNode(value)}`, spanOf(value, positions)));
        ok = false;
      } else if (key === 'passphrase') certificate.passphrase = value.value as string;
      else {
        const read = readCertificateFile(workspace, value.value as string, key);
        if ('content' in read) certificate[key] = read.content;
        else {
          file.diagnostics.push(diagnostic('error', 'config/unreadable-file', `${label}: "${host.value}".${key}: ${read.error}`, spanOf(value, positions)));
          ok = false;
        }
      }
    }
    if (ok && certificate.pfx === undefined && (certificate.cert === undefined || certificate.key === undefined)) {
      file.diagnostics.push(diagnostic('error', 'config/invalid-type', `${label}: "${host.value}" needs cert and key, or pfx`, spanOf(host, positions)));
      ok = false;
    }
    if (ok) file.certificates = { ...file.certificates, [host.value.toLowerCase()]: certificate };
  }
}

function readDefaultHeaders(file: VscodeSettingsFile, headers: Node, text: string, positions: PositionIndex): void {
  if (headers.type !== 'object') {
    file.diagnostics.push(
      diagnostic('error', 'config/invalid-type', `"${REST_CLIENT_DEFAULT_HEADERS_KEY}" in ${VSCODE_SETTINGS_LABEL} must be an object of header names and values, got ${describeNode(headers)}`, spanOf(headers, positions)),
    );
    return;
  }
  const entries = (headers.children ?? []).flatMap((header) => {
    const [name, value] = header.children ?? [];
    if (name === undefined || value === undefined || typeof name.value !== 'string') return [];
    const written = textOf(value, text);
    const problem = headerProblem(name.value, written);
    if (problem !== null) {
      const at = spanOf(problem.part === 'name' ? name : value, positions);
      file.diagnostics.push(diagnostic('error', 'config/invalid-header', `"${REST_CLIENT_DEFAULT_HEADERS_KEY}" in ${VSCODE_SETTINGS_LABEL}: ${problem.message}`, at));
      return [];
    }
    return [[name.value, written] as const];
  });
  // fromEntries: a "__proto__" header name stays a key.
  file.defaultHeaders = { ...file.defaultHeaders, ...Object.fromEntries(entries) };
}

/** Environment → variable → its value's node, to point at an unresolved `{{$shared name}}` inside it. */
type ValueNodes = Map<string, Map<string, Node>>;

function readEnvironments(file: VscodeSettingsFile, environments: Node, nodes: ValueNodes, text: string, positions: PositionIndex): void {
  for (const entry of environments.children ?? []) {
    const [key, value] = entry.children ?? [];
    if (key === undefined || value === undefined || typeof key.value !== 'string') continue;
    const name: string = key.value;
    // Like http-client.env.json: `$`-keys other than `$shared` are tooling, not environments.
    if (name.startsWith('$') && name !== SHARED) continue;
    if (value.type !== 'object') {
      const what = name === SHARED ? `"${SHARED}"` : `environment "${name}"`;
      file.diagnostics.push(
        diagnostic('error', 'config/invalid-type', `${what} in ${VSCODE_SETTINGS_LABEL} must be an object of variables, got ${describeNode(value)}`, spanOf(value, positions)),
      );
      continue;
    }
    const variables = (value.children ?? []).flatMap((variable) => {
      const [variableKey, variableValue] = variable.children ?? [];
      if (variableKey === undefined || variableValue === undefined || typeof variableKey.value !== 'string') return [];
      return [[variableKey.value, variableValue] as const];
    });
    // fromEntries and spreads define keys; assignment would let a "__proto__" key reach the prototype.
    const values = Object.fromEntries(variables.map(([variable, node]) => [variable, textOf(node, text)]));
    if (name === SHARED) {
      file.shared = { ...file.shared, ...values };
      continue;
    }
    const previous = file.environments.get(name);
    file.environments.set(name, { values: { ...previous?.values, ...values }, span: spanOf(key, positions), diagnostics: [] });
    nodes.set(name, new Map([...(nodes.get(name) ?? []), ...variables]));
  }
}

const SHARED_REFERENCE = /\{\{\s*\$shared\s+([^{}]*?)\s*\}\}/g;

/**
 * REST Client's `{{$shared name}}` in an environment value: the `$shared` value of that name (of this
 * file — REST Client knows no other). REST Client replaces the whole value by it; we replace the
 * reference only, which is the same for the usual `"token": "{{$shared token}}"` and less surprising
 * for `"url": "{{$shared host}}/v2"`.
 */
function resolveSharedReferences(file: VscodeSettingsFile, nodes: ValueNodes, text: string, positions: PositionIndex): void {
  for (const [name, environment] of file.environments) {
    for (const [variable, value] of Object.entries(environment.values)) {
      if (!value.includes('$shared')) continue;
      environment.values[variable] = value.replace(SHARED_REFERENCE, (written, reference: string) => {
        if (Object.hasOwn(file.shared, reference)) return file.shared[reference] ?? '';
        const node = nodes.get(name)?.get(variable);
        const raw = node === undefined ? -1 : text.slice(node.offset, node.offset + node.length).indexOf(written);
        const span = node === undefined ? environment.span : raw >= 0 ? positions.span(node.offset + raw, node.offset + raw + written.length) : spanOf(node, positions);
        environment.diagnostics.push(
          diagnostic(
            'error',
            'config/undefined-shared',
            `${written} in environment "${name}" of ${VSCODE_SETTINGS_LABEL}: "${SHARED}" defines no "${reference}"`,
            span,
            `add "${reference}" to "${SHARED}" under "${REST_CLIENT_ENVIRONMENTS_KEY}"`,
          ),
        );
        // Reported here, once: left in, the request would also report an unknown `$shared`.
        return '';
      });
    }
  }
}

/** Numbers as written: `"version": 1.10` means "1.10", not "1.1". */
function textOf(node: Node, text: string): string {
  return node.type === 'number' ? text.slice(node.offset, node.offset + node.length) : variableText(jsonc().getNodeValue(node));
}

function spanOf(node: Node, positions: PositionIndex): Span {
  return positions.span(node.offset, node.offset + node.length);
}

function describeNode(node: Node): string {
  if (node.type === 'array') return 'an array';
  if (node.type === 'object') return 'an object';
  if (node.type === 'null') return 'null';
  return `a ${node.type} (${JSON.stringify(node.value)})`;
}

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected content after the end of the JSON value',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated /* comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape: expected four hexadecimal digits',
  InvalidEscapeCharacter: 'invalid escape in a string',
  InvalidCharacter: 'control character in a string must be escaped',
};

function syntaxMessage(error: ParseError, text: string): string {
  const code = jsonc().printParseErrorCode(error.error);
  const message = SYNTAX_MESSAGES[code] ?? code;
  // The offending token, up to its line's end: an unterminated comment or string would run on.
  const token = text.slice(error.offset, error.offset + Math.max(1, error.length)).split(/\r?\n/)[0]?.slice(0, 20) ?? '';
  const found = error.offset >= text.length ? 'the end of the file' : JSON.stringify(token === '' ? text[error.offset] : token);
  return `${message}, found ${found}`;
}
