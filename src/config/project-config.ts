/**
 * httprun.yaml: the project's own configuration. Every key is optional.
 *
 * ```yaml
 * env: dev                       # default environment (overridden by --env)
 * environments:
 *   $shared: { baseUrl: http://localhost:8080 }      # below every environment
 *   dev: { baseUrl: http://127.0.0.1:3000 }
 *   staging: { baseUrl: https://staging.example.com }
 * defaults:                      # durations: 500ms, 10s, 2m (a bare number is ms); sizes: 64MiB, 10MB, 512k
 *   timeout: 10s                 # whole request (default 30s)
 *   connectionTimeout: 5s        # default 10s
 *   retry: 2                     # default 0
 *   retryInterval: 500ms         # default 1s
 *   maxRedirects: 20             # default 20
 *   maxBody: 64MiB               # default 64MiB
 *   jobs: 4                      # files in parallel; default: CPU count
 *   insecure: false              # skip TLS verification
 *   http2: false
 *   reports: { json: reports/run.json, junit: reports/junit.xml, tap: reports/run.tap, html: reports/run.html }
 * secrets:                       # a secret is never sent to any other host (a host without port: any port)
 *   API_TOKEN: { hosts: [api.example.com, localhost:8443] }
 * clientCertificates:            # paths relative to httprun.yaml
 *   api.example.com: { cert: ./certs/client.pem, key: ./certs/client.key }   # or { pfx: ./client.p12, passphrase: ... }
 * proxy: http://proxy.local:3128
 * ```
 */
import { basename, dirname } from 'node:path';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Node as YamlNode, Pair } from 'yaml';
import { diagnostic, type Diagnostic, type Span } from '../diagnostics.js';
import { readCertificateFile } from './certificate-file.js';
import { parseDuration, parseSize } from './duration.js';
import { cachedParse } from './file-cache.js';
import { fileStartSpan, indexPositions, stripBom, type PositionIndex } from './text-position.js';
import { variableText } from './variable-value.js';
import { isProxyUrl } from './proxy-url.js';

let yamlLibrary: typeof Yaml | undefined;
/** Required with the first httprun.yaml read: a project without one should not pay for loading the YAML parser. */
const yaml = (): typeof Yaml => (yamlLibrary ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
const parseDocument = ((text: string, options: Yaml.DocumentOptions & Yaml.ParseOptions) => yaml().parseDocument(text, options)) as typeof Yaml.parseDocument;
const isMap = ((node: unknown) => yaml().isMap(node)) as typeof Yaml.isMap;
const isScalar = ((node: unknown) => yaml().isScalar(node)) as typeof Yaml.isScalar;
const isSeq = ((node: unknown) => yaml().isSeq(node)) as typeof Yaml.isSeq;

export interface Defaults {
  timeout?: number;
  connectionTimeout?: number;
  retry?: number;
  retryInterval?: number;
  maxRedirects?: number;
  maxBody?: number;
  jobs?: number;
  insecure?: boolean;
  http2?: boolean;
  reports?: { json?: string; junit?: string; tap?: string; html?: string };
}

/** The `clientCertificates` key for every host (JetBrains' SSLConfiguration of an environment). */
export const ANY_HOST = '*';

/** The files' contents (read when httprun.yaml is loaded): PEM text, a PKCS#12 file as base64. */
export interface ClientCertificate {
  cert?: string;
  key?: string;
  pfx?: string;
  passphrase?: string;
}

export interface ProjectConfig {
  /** Project root directory (SPEC §4). */
  root: string;
  /** httprun.yaml path, if any. */
  configFile: string | null;
  /** `env:` of httprun.yaml. */
  defaultEnv: string | null;
  /** Durations in ms, sizes in bytes. */
  defaults: Defaults;
  secrets: Record<string, { hosts: string[] }>;
  /** Keyed by host (`api.example.com` or `host:port`, `*` for every host); the files' contents. */
  clientCertificates: Record<string, ClientCertificate>;
  proxy?: string;
  /**
   * Default headers (REST Client's, httpyac's, kulala's `$kulalaDefaultHeaders`): sent unless a request
   * writes that header.
   */
  defaultHeaders?: Record<string, string>;
  /**
   * The lower-case names of the default headers from http-client.private.env.json: their values are
   * secrets (masked; host-scoped by `secrets:` under the header's name).
   */
  secretDefaultHeaders?: string[];
}

/** What one httprun.yaml says, before it is combined with the env files. */
export interface YamlConfigFile {
  path: string;
  defaultEnv: { name: string; span: Span } | null;
  shared: Record<string, string>;
  environments: Map<string, { values: Record<string, string>; span: Span }>;
  defaults: Defaults;
  secrets: Record<string, { hosts: string[] }>;
  clientCertificates: Record<string, ClientCertificate>;
  proxy?: string;
  diagnostics: Diagnostic[];
}

const TOP_LEVEL_KEYS = ['env', 'environments', 'defaults', 'secrets', 'clientCertificates', 'proxy'];
const DURATION_KEYS = ['timeout', 'connectionTimeout', 'retryInterval'] as const;
const COUNT_KEYS = { retry: 0, maxRedirects: 0, jobs: 1 } as const;
const BOOLEAN_KEYS = ['insecure', 'http2'] as const;
const REPORT_KEYS = ['json', 'junit', 'tap', 'html'] as const;
const DEFAULT_KEYS = [...DURATION_KEYS, ...Object.keys(COUNT_KEYS), 'maxBody', ...BOOLEAN_KEYS, 'reports'];
const CERTIFICATE_KEYS = ['cert', 'key', 'pfx', 'passphrase'] as const;

export function readYamlConfigFile(path: string): YamlConfigFile {
  return cachedParse('httprun-yaml', path, (read) => {
    const file: YamlConfigFile = {
      path,
      defaultEnv: null,
      shared: {},
      environments: new Map(),
      defaults: {},
      secrets: {},
      clientCertificates: {},
      diagnostics: [],
    };
    if ('error' in read) {
      file.diagnostics.push(diagnostic('error', 'config/unreadable-file', `cannot read ${path}: ${read.error}`, fileStartSpan(path)));
      return file;
    }
    const text = stripBom(read.text);
    new YamlConfigReader(file, indexPositions(path, text)).read(text);
    return file;
  });
}

class YamlConfigReader {
  private readonly name: string;

  constructor(
    private readonly file: YamlConfigFile,
    private readonly positions: PositionIndex,
  ) {
    this.name = basename(file.path);
  }

  read(text: string): void {
    const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
    for (const error of document.errors) {
      // The YAML parser recurses: `[[[[…` thousands deep ends in JavaScript's own "Maximum call stack size exceeded".
      const message = /maximum call stack/i.test(error.message) ? 'lists or maps nested too deep' : error.message;
      this.error('config/invalid-yaml', `${this.name} is not valid YAML: ${message}`, this.positions.span(error.pos[0], error.pos[1]));
    }
    if (document.errors.length > 0) return;
    const contents = document.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) return;
    if (!isMap(contents)) {
      this.error('config/invalid-type', `${this.name} must be a map of settings (env, environments, defaults, ...), got ${describe(contents)}`, this.spanOf(contents));
      return;
    }
    for (const pair of contents.items) {
      const key = this.keyOf(pair);
      if (key === null) continue;
      const value = (pair.value ?? null) as YamlNode | null;
      if (key === 'env') this.readDefaultEnv(value, pair);
      else if (key === 'environments') this.readEnvironments(value, pair);
      else if (key === 'defaults') this.readDefaults(value, pair);
      else if (key === 'secrets') this.readSecrets(value, pair);
      else if (key === 'clientCertificates') this.readClientCertificates(value, pair);
      else if (key === 'proxy') {
        const proxy = this.string(value, pair, 'proxy', 'a proxy URL such as http://proxy.local:3128');
        // Checked here, not by the HTTP client at the first request: there it was an internal error.
        // The value is not repeated: a proxy URL may carry a password.
        if (proxy !== undefined && !isProxyUrl(proxy)) {
          this.error('config/invalid-proxy', 'proxy must be a URL with its scheme, such as http://proxy.local:3128 (http, https or socks5)', this.spanOf(value!));
        } else if (proxy !== undefined) this.file.proxy = proxy;
      } else {
        this.warnUnknown(pair, key, this.name, TOP_LEVEL_KEYS);
      }
    }
  }

  private readDefaultEnv(value: YamlNode | null, pair: Pair): void {
    if (isNull(value)) return;
    const name = this.string(value, pair, 'env', 'the name of an environment');
    if (name !== undefined && value !== null) this.file.defaultEnv = { name, span: this.spanOf(value) };
  }

  private readEnvironments(value: YamlNode | null, pair: Pair): void {
    if (isNull(value)) return;
    if (!isMap(value)) {
      this.typeError(value, pair, 'environments', 'a map of environment names to variables');
      return;
    }
    for (const environmentPair of value.items) {
      const name = this.keyOf(environmentPair);
      if (name === null) continue;
      const variables = (environmentPair.value ?? null) as YamlNode | null;
      const label = name === '$shared' ? 'environments.$shared' : `environment "${name}"`;
      let values: Record<string, string> = {};
      if (!isNull(variables)) {
        if (!isMap(variables)) {
          this.typeError(variables, environmentPair, label, 'a map of variable names to values');
          continue;
        }
        const entries: [string, string][] = [];
        for (const variable of variables.items) {
          const key = this.keyOf(variable);
          if (key !== null) entries.push([key, this.variableValue((variable.value ?? null) as YamlNode | null)]);
        }
        // fromEntries defines keys; assignment would let a "__proto__" key reach the prototype.
        values = Object.fromEntries(entries);
      }
      if (name === '$shared') this.file.shared = values;
      else this.file.environments.set(name, { values, span: this.spanOf(environmentPair.key as YamlNode) });
    }
  }

  private variableValue(node: YamlNode | null): string {
    if (node === null) return '';
    if (isScalar(node)) {
      // Numbers as written: `version: 1.10` means "1.10", not "1.1".
      if (typeof node.value === 'number' && typeof node.source === 'string') return node.source;
      return variableText(node.value);
    }
    try {
      return variableText(node.toJSON());
    } catch {
      return '';
    }
  }

  private readDefaults(value: YamlNode | null, pair: Pair): void {
    if (isNull(value)) return;
    if (!isMap(value)) {
      this.typeError(value, pair, 'defaults', 'a map of settings (timeout, retry, ...)');
      return;
    }
    const defaults = this.file.defaults;
    for (const item of value.items) {
      const key = this.keyOf(item);
      if (key === null) continue;
      const node = (item.value ?? null) as YamlNode | null;
      const label = `defaults.${key}`;
      if ((DURATION_KEYS as readonly string[]).includes(key)) {
        const duration = this.duration(node, item, label);
        if (duration !== undefined) defaults[key as (typeof DURATION_KEYS)[number]] = duration;
      } else if (Object.hasOwn(COUNT_KEYS, key)) {
        const minimum = COUNT_KEYS[key as keyof typeof COUNT_KEYS];
        const count = this.count(node, item, label, minimum);
        if (count !== undefined) defaults[key as keyof typeof COUNT_KEYS] = count;
      } else if (key === 'maxBody') {
        const size = this.size(node, item, label);
        if (size !== undefined) defaults.maxBody = size;
      } else if ((BOOLEAN_KEYS as readonly string[]).includes(key)) {
        if (isScalar(node) && typeof node.value === 'boolean') defaults[key as (typeof BOOLEAN_KEYS)[number]] = node.value;
        else this.typeError(node, item, label, 'true or false');
      } else if (key === 'reports') {
        this.readReports(node, item);
      } else {
        this.warnUnknown(item, key, `${this.name} defaults`, DEFAULT_KEYS);
      }
    }
  }

  private readReports(value: YamlNode | null, pair: Pair): void {
    if (isNull(value)) return;
    if (!isMap(value)) {
      this.typeError(value, pair, 'defaults.reports', 'a map of report formats (json, junit, tap, html) to file paths');
      return;
    }
    const reports: NonNullable<Defaults['reports']> = {};
    for (const item of value.items) {
      const key = this.keyOf(item);
      if (key === null) continue;
      if (!(REPORT_KEYS as readonly string[]).includes(key)) {
        this.warnUnknown(item, key, `${this.name} defaults.reports`, REPORT_KEYS);
        continue;
      }
      const path = this.string((item.value ?? null) as YamlNode | null, item, `defaults.reports.${key}`, 'a file path');
      if (path !== undefined) reports[key as (typeof REPORT_KEYS)[number]] = path;
    }
    this.file.defaults.reports = reports;
  }

  private readSecrets(value: YamlNode | null, pair: Pair): void {
    if (isNull(value)) return;
    if (!isMap(value)) {
      this.typeError(value, pair, 'secrets', 'a map of secret names to { hosts: [...] }');
      return;
    }
    for (const item of value.items) {
      const name = this.keyOf(item);
      if (name === null) continue;
      const scope = (item.value ?? null) as YamlNode | null;
      const label = `secrets.${name}`;
      if (!isMap(scope)) {
        this.typeError(scope, item, label, '{ hosts: [host, ...] }');
        continue;
      }
      let hosts: string[] | undefined;
      for (const field of scope.items) {
        const key = this.keyOf(field);
        if (key === null) continue;
        if (key === 'hosts') hosts = this.hosts((field.value ?? null) as YamlNode | null, field, `${label}.hosts`);
        else this.warnUnknown(field, key, label, ['hosts']);
      }
      if (hosts === undefined) {
        if (!scope.items.some((field) => this.plainKey(field) === 'hosts')) {
          this.error('config/invalid-type', `${label} needs "hosts: [host, ...]": the hosts this secret may be sent to`, this.spanOf(item.key as YamlNode));
        }
        continue;
      }
      this.file.secrets = { ...this.file.secrets, [name]: { hosts } };
    }
  }

  private hosts(value: YamlNode | null, pair: Pair, label: string): string[] | undefined {
    const expected = 'a list of host names such as [api.example.com, localhost:8443]';
    if (!isSeq(value)) {
      this.typeError(value, pair, label, expected);
      return undefined;
    }
    const hosts: string[] = [];
    let ok = true;
    for (const item of value.items as (YamlNode | null)[]) {
      if (!isScalar(item) || typeof item.value !== 'string' || item.value.trim() === '') {
        this.error('config/invalid-type', `${label} must be ${expected}, got ${describe(item)}`, item === null ? this.spanOf(value) : this.spanOf(item));
        ok = false;
        continue;
      }
      const host = item.value.trim().toLowerCase();
      if (!/^(\[[0-9a-f:.]+\]|[^\s/:@?#[\]]+)(:\d{1,5})?$/.test(host)) {
        this.error('config/invalid-host', `${label}: "${item.value}" is not a host; write a host name (api.example.com) or host:port (localhost:8443), without scheme or path`, this.spanOf(item));
        ok = false;
        continue;
      }
      hosts.push(host);
    }
    return ok ? hosts : undefined;
  }

  private readClientCertificates(value: YamlNode | null, pair: Pair): void {
    if (isNull(value)) return;
    if (!isMap(value)) {
      this.typeError(value, pair, 'clientCertificates', 'a map of host names to { cert, key } or { pfx, passphrase }');
      return;
    }
    const base = dirname(this.file.path);
    for (const item of value.items) {
      const host = this.keyOf(item);
      if (host === null) continue;
      const fields = (item.value ?? null) as YamlNode | null;
      const label = `clientCertificates.${host}`;
      if (!isMap(fields)) {
        this.typeError(fields, item, label, '{ cert, key } or { pfx, passphrase }');
        continue;
      }
      const certificate: ClientCertificate = {};
      let ok = true;
      for (const field of fields.items) {
        const key = this.keyOf(field);
        if (key === null) continue;
        if (!(CERTIFICATE_KEYS as readonly string[]).includes(key)) {
          this.warnUnknown(field, key, label, CERTIFICATE_KEYS);
          continue;
        }
        const value = (field.value ?? null) as YamlNode | null;
        const text = this.string(value, field, `${label}.${key}`, key === 'passphrase' ? 'text' : 'a file path');
        if (text === undefined) ok = false;
        else if (key === 'passphrase') certificate.passphrase = text;
        else {
          const read = readCertificateFile(base, text, key as 'cert' | 'key' | 'pfx');
          if ('content' in read) certificate[key as 'cert' | 'key' | 'pfx'] = read.content;
          else {
            this.error('config/unreadable-file', `${label}.${key}: ${read.error}`, this.spanOf(value!));
            ok = false;
          }
        }
      }
      if (!ok) continue;
      if (certificate.pfx === undefined && (certificate.cert === undefined || certificate.key === undefined)) {
        this.error('config/invalid-type', `${label} needs cert and key, or pfx`, this.spanOf(item.key as YamlNode));
        continue;
      }
      this.file.clientCertificates = { ...this.file.clientCertificates, [host.toLowerCase()]: certificate };
    }
  }

  private duration(node: YamlNode | null, pair: Pair, label: string): number | undefined {
    if (isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'string')) {
      const parsed = parseDuration(String(node.value));
      if (parsed !== null) return parsed;
    }
    this.error('config/invalid-duration', `${label} must be a duration such as 10s, 500ms or 2m, got ${describe(node)}`, this.valueSpan(node, pair));
    return undefined;
  }

  private size(node: YamlNode | null, pair: Pair, label: string): number | undefined {
    if (isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'string')) {
      const parsed = parseSize(String(node.value));
      if (parsed !== null) return parsed;
    }
    this.error('config/invalid-size', `${label} must be a size such as 64MiB, 10MB, 512k or a number of bytes, got ${describe(node)}`, this.valueSpan(node, pair));
    return undefined;
  }

  private count(node: YamlNode | null, pair: Pair, label: string, minimum: number): number | undefined {
    const value = isScalar(node) ? node.value : undefined;
    const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof number === 'number' && Number.isSafeInteger(number) && number >= minimum) return number;
    this.typeError(node, pair, label, `a whole number >= ${minimum}`);
    return undefined;
  }

  private string(node: YamlNode | null, pair: Pair, label: string, expected: string): string | undefined {
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    this.typeError(node, pair, label, expected);
    return undefined;
  }

  /** A key as text, or null (with an error) for keys that are maps, lists or null. */
  private keyOf(pair: Pair): string | null {
    const key = pair.key as YamlNode | null;
    if (isScalar(key) && key.value !== null && typeof key.value !== 'object') return String(key.value);
    this.error('config/invalid-type', `keys in ${this.name} must be plain names, got ${describe(key)}`, key === null ? fileStartSpan(this.file.path) : this.spanOf(key));
    return null;
  }

  private plainKey(pair: Pair): string | null {
    const key = pair.key as YamlNode | null;
    return isScalar(key) ? String(key.value) : null;
  }

  private warnUnknown(pair: Pair, key: string, where: string, known: readonly string[]): void {
    this.file.diagnostics.push(
      diagnostic('warning', 'config/unknown-key', `unknown key "${key}" in ${where} (known: ${known.join(', ')}); it is ignored`, this.spanOf(pair.key as YamlNode)),
    );
  }

  private typeError(node: YamlNode | null, pair: Pair, label: string, expected: string): void {
    this.error('config/invalid-type', `${label} must be ${expected}, got ${describe(node)}`, this.valueSpan(node, pair));
  }

  private error(code: string, message: string, span: Span): void {
    this.file.diagnostics.push(diagnostic('error', code, message, span));
  }

  /** The value's span, or the key's when the value is missing (`timeout:` with nothing after it). */
  private valueSpan(node: YamlNode | null, pair: Pair): Span {
    if (node !== null && node.range && !(isScalar(node) && node.value === null && !node.source)) return this.spanOf(node);
    return this.spanOf(pair.key as YamlNode);
  }

  private spanOf(node: YamlNode): Span {
    const range = node.range;
    if (!range) return fileStartSpan(this.file.path);
    return this.positions.span(range[0], range[1]);
  }
}

function isNull(node: YamlNode | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

function describe(node: YamlNode | null): string {
  if (node === null || (isScalar(node) && node.value === null)) return 'nothing';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const value = node.value;
    if (typeof value === 'string') return `"${value}"`;
    if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${node.source ?? String(value)}`;
  }
  return 'an unsupported value';
}
