import type { Defaults } from '../config/project-config.js';
import { parseDuration } from '../config/duration.js';
import type { Diagnostic } from '../diagnostics.js';
import type { MetadataNode, RequestNode } from '../syntax/ast.js';
import { DEFAULTS, type RunOptions } from './options.js';

export interface RequestSettings {
  timeout: number;
  connectionTimeout: number;
  maxRedirects: number;
  maxBody: number;
  followRedirects: boolean;
  cookies: boolean;
  insecure: boolean;
  retry: number;
  retryInterval: number;
  skip: string | null;
  /** Milliseconds to wait before sending: httpyac's `# @sleep 1000`, kulala's `# @delay 1000`. */
  delay: number;
}

export function metadataValue(metadata: readonly MetadataNode[], ...keys: string[]): MetadataNode | undefined {
  return lastOf(metadata, keys);
}

function lastOf(metadata: readonly MetadataNode[], keys: readonly string[]): MetadataNode | undefined {
  for (let i = metadata.length - 1; i >= 0; i--) if (keys.includes(metadata[i]!.key)) return metadata[i];
  return undefined;
}

/**
 * kulala passes `# @curl-<flag> [value]` to curl (older files: `# @kulala-curl--<flag>`); the flags
 * that say what httprun has a setting for count as that setting.
 */
function curlFlag(...flags: string[]): string[] {
  return flags.flatMap((flag) => [`curl-${flag}`, `kulala-curl--${flag}`]);
}

// Built once: settingsFor runs for every request sent, and most requests have no metadata at all.
const TIMEOUT_KEYS = ['timeout', ...curlFlag('max-time')];
const CONNECTION_TIMEOUT_KEYS = ['connection-timeout', 'connectionTimeout', ...curlFlag('connect-timeout')];
// httpyac spells it no-reject-unauthorized (Node's rejectUnauthorized: false).
const INSECURE_KEYS = ['insecure', 'no-reject-unauthorized', 'noRejectUnauthorized', ...curlFlag('insecure', 'k')];
const RETRY_KEYS = ['retry'];
const SKIP_KEYS = ['skip', 'disabled'];
const NO_REDIRECT_KEYS = ['no-redirect', 'noRedirect'];
const NO_COOKIE_JAR_KEYS = ['no-cookie-jar', 'noCookieJar'];
const DELAY_KEYS = ['sleep', 'delay'];

/** Per request: `# @` metadata, then flags, then httprun.yaml defaults, then SPEC §7's defaults. */
export function settingsFor(request: RequestNode, options: RunOptions, defaults: Defaults): RequestSettings {
  const meta = request.metadata;
  // JetBrains reads a bare `# @timeout 30` as seconds.
  const duration = (node: MetadataNode | undefined) => (node ? parseDuration(node.value, 's') : null) ?? undefined;
  const retryNode = lastOf(meta, RETRY_KEYS);
  let retryFromMeta: number | undefined;
  let retryIntervalFromMeta: number | undefined;
  if (retryNode !== undefined) {
    const [retryCount, ...retryRest] = retryNode.value.trim().split(/\s+/);
    retryFromMeta = retryCount && /^\d+$/.test(retryCount) ? Number(retryCount) : undefined;
    retryIntervalFromMeta = retryRest.length ? parseDuration(retryRest.join(' ')) ?? undefined : undefined;
  }
  const skipNode = lastOf(meta, SKIP_KEYS);
  const delayNode = lastOf(meta, DELAY_KEYS);
  return {
    timeout: duration(lastOf(meta, TIMEOUT_KEYS)) ?? options.timeout ?? defaults.timeout ?? DEFAULTS.timeout,
    connectionTimeout:
      duration(lastOf(meta, CONNECTION_TIMEOUT_KEYS)) ??
      options.connectionTimeout ?? defaults.connectionTimeout ?? DEFAULTS.connectionTimeout,
    maxRedirects: options.maxRedirects ?? defaults.maxRedirects ?? DEFAULTS.maxRedirects,
    maxBody: options.maxBody ?? defaults.maxBody ?? DEFAULTS.maxBody,
    followRedirects: options.followRedirects && !lastOf(meta, NO_REDIRECT_KEYS),
    cookies: !lastOf(meta, NO_COOKIE_JAR_KEYS),
    insecure: options.insecure || (defaults.insecure ?? false) || lastOf(meta, INSECURE_KEYS) !== undefined,
    retry: retryFromMeta ?? options.retry ?? defaults.retry ?? DEFAULTS.retry,
    retryInterval: retryIntervalFromMeta ?? options.retryInterval ?? defaults.retryInterval ?? DEFAULTS.retryInterval,
    skip: skipNode ? skipNode.value.trim() || 'skipped by @skip' : null,
    // Both write milliseconds; `1 s` works too.
    delay: delayNode ? (parseDuration(delayNode.value, 'ms') ?? 0) : 0,
  };
}

/**
 * `# @timeout abc`, `# @retry many`: a value httprun cannot read was ignored in silence and the
 * default applied. Each gets a located warning (not an error: the request still runs, as the other
 * tools run it, and a file that works there keeps working here).
 */
export function metadataValueWarnings(requests: readonly RequestNode[]): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  // Shared metadata (a file's first block) is in every request: one warning for its line.
  const seen = new Set<string>();
  for (const request of requests) {
    for (const meta of request.metadata) {
      const problem = metadataValueProblem(meta.key, meta.value.trim());
      const at = `${meta.span.file}:${meta.span.start.offset}`;
      if (problem === null || seen.has(at)) continue;
      seen.add(at);
      warnings.push({ severity: 'warning', code: 'run/invalid-metadata-value', message: problem, span: meta.span });
    }
  }
  return warnings;
}

function metadataValueProblem(key: string, value: string): string | null {
  const ignored = 'it is ignored and the default applies';
  if (TIMEOUT_KEYS.includes(key) || CONNECTION_TIMEOUT_KEYS.includes(key)) {
    if (parseDuration(value, 's') !== null) return null;
    return `@${key} expects a duration such as 30 (seconds), 500ms or 2m, got "${value}"; ${ignored}`;
  }
  if (RETRY_KEYS.includes(key)) {
    const [count = '', ...interval] = value.split(/\s+/);
    if (!/^\d+$/.test(count)) return `@${key} expects a number of retries and an optional interval (@retry 3 or @retry 3 500ms), got "${value}"; ${ignored}`;
    if (interval.length === 0 || parseDuration(interval.join(' ')) !== null) return null;
    return `@${key}: the interval "${interval.join(' ')}" is not a duration such as 500ms or 2s; the interval is ignored and the default applies`;
  }
  if (DELAY_KEYS.includes(key)) {
    if (parseDuration(value, 'ms') !== null) return null;
    return `@${key} expects milliseconds (1000) or a duration such as 2s, got "${value}"; ${ignored}`;
  }
  return null;
}
