import type { Defaults } from '../config/project-config.js';
import { parseDuration } from '../config/duration.js';
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
}

export function metadataValue(metadata: readonly MetadataNode[], ...keys: string[]): MetadataNode | undefined {
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

/** Per request: `# @` metadata, then flags, then httprun.yaml defaults, then SPEC §7's defaults. */
export function settingsFor(request: RequestNode, options: RunOptions, defaults: Defaults): RequestSettings {
  const meta = request.metadata;
  // JetBrains reads a bare `# @timeout 30` as seconds.
  const duration = (node: MetadataNode | undefined) => (node ? parseDuration(node.value, 's') : null) ?? undefined;
  const retryNode = metadataValue(meta, 'retry');
  const [retryCount, ...retryRest] = (retryNode?.value ?? '').trim().split(/\s+/);
  const retryFromMeta = retryCount && /^\d+$/.test(retryCount) ? Number(retryCount) : undefined;
  const retryIntervalFromMeta = retryRest.length ? parseDuration(retryRest.join(' ')) ?? undefined : undefined;
  const skipNode = metadataValue(meta, 'skip', 'disabled');
  return {
    timeout: duration(metadataValue(meta, 'timeout', ...curlFlag('max-time'))) ?? options.timeout ?? defaults.timeout ?? DEFAULTS.timeout,
    connectionTimeout:
      duration(metadataValue(meta, 'connection-timeout', 'connectionTimeout', ...curlFlag('connect-timeout'))) ??
      options.connectionTimeout ?? defaults.connectionTimeout ?? DEFAULTS.connectionTimeout,
    maxRedirects: options.maxRedirects ?? defaults.maxRedirects ?? DEFAULTS.maxRedirects,
    maxBody: options.maxBody ?? defaults.maxBody ?? DEFAULTS.maxBody,
    followRedirects: options.followRedirects && !metadataValue(meta, 'no-redirect', 'noRedirect'),
    cookies: !metadataValue(meta, 'no-cookie-jar', 'noCookieJar'),
    insecure: options.insecure || (defaults.insecure ?? false) || metadataValue(meta, 'insecure', ...curlFlag('insecure', 'k')) !== undefined,
    retry: retryFromMeta ?? options.retry ?? defaults.retry ?? DEFAULTS.retry,
    retryInterval: retryIntervalFromMeta ?? options.retryInterval ?? defaults.retryInterval ?? DEFAULTS.retryInterval,
    skip: skipNode ? skipNode.value.trim() || 'skipped by @skip' : null,
  };
}
