import { editDistance } from '../edit-distance.js';
/**
 * Metadata keys (`# @key value`) that JetBrains HTTP Client, VS Code REST Client, httpyac and
 * kulala document. httprun acts on some of them; the others are known so that only real typos
 * are warned about.
 */
const KNOWN_METADATA_KEYS: ReadonlySet<string> = new Set([
  // JetBrains HTTP Client
  'name', 'no-redirect', 'no-cookie-jar', 'no-log', 'no-auto-encoding', 'use-os-credentials',
  'timeout', 'connection-timeout', 'http-version', 'env', 'import',
  // VS Code REST Client
  'prompt', 'note',
  // httpyac (it accepts both kebab-case and camelCase spellings)
  'ref', 'forceRef', 'force-ref', 'disabled', 'jwt', 'loop', 'sleep', 'keepStreaming', 'keep-streaming',
  'ratelimit', 'rateLimit', 'save', 'openWith', 'open-with', 'extension', 'responseRef', 'response-ref',
  'title', 'description', 'verbose', 'debug', 'injectVariables', 'inject-variables',
  'noRedirect', 'noCookieJar', 'noLog', 'noClientCert', 'no-client-cert', 'noRejectUnauthorized',
  'no-reject-unauthorized', 'noResponseView', 'no-response-view', 'noStreamingLog', 'no-streaming-log',
  'post-redirect-get', 'postRedirectGet', 'proxy', 'noProxy', 'no-proxy', 'grpc-reflection',
  'grpcReflection', 'oauth2', 'tags', 'test', 'insecure',
  // kulala
  'secret', 'curl', 'graphql', 'jq', 'delay', 'accept', 'env-stdin-cmd', 'env-json-key', 'stdin-cmd',
  'prompt-secret', 'file-to-variable',
  // httprun (SPEC §3), also kulala's
  'tag', 'skip', 'retry', 'save-raw',
]);

/** kulala passes `# @curl-<flag>` through to curl; older kulala files spell it `@kulala-...`. */
const KNOWN_PREFIXES = ['curl-', 'kulala-'];

export function isKnownMetadataKey(key: string): boolean {
  return KNOWN_METADATA_KEYS.has(key) || KNOWN_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** The known key closest to a misspelt one (edit distance at most 2), for "did you mean". */
export function suggestMetadataKey(key: string): string | null {
  let best: string | null = null;
  // Short keys are one typo away from many others: only suggest what is clearly meant.
  let bestDistance = key.length <= 4 ? 2 : 3;
  for (const known of KNOWN_METADATA_KEYS) {
    // Keys of very different lengths are never one typo apart.
    const distance = Math.abs(key.length - known.length) > 2 ? 3 : editDistance(key.toLowerCase(), known.toLowerCase());
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
    }
  }
  return best;
}


