import { secretForms } from '../run/secret-set.js';
import type { SecretValue } from './prepared-request.js';

/** `host` matches the host on any port, `host:port` only that port, `*.example.com` its subdomains. */
export function hostInScope(url: URL, hosts: readonly string[]): boolean {
  const hostname = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return hosts.some((entry) => {
    const written = entry.trim().toLowerCase();
    const match = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(written.split(':').length > 2 && !written.startsWith('[') ? `[${written}]` : written);
    if (!match) return false;
    const [, host, entryPort] = match;
    if (entryPort !== undefined && entryPort !== port) return false;
    if (host!.startsWith('*.')) return hostname.endsWith(host!.slice(1));
    return hostname === host;
  });
}

/** What a hop would carry: a secret counts as carried in any of its usual encodings. */
export interface Carried {
  url: URL;
  headers: readonly [string, string][];
  body: Buffer | null;
}

/** The first host-scoped secret this hop would carry to a host outside its scope, as a one-line reason. */
export function findScopeViolation(secrets: readonly SecretValue[], hop: Carried): string | null {
  for (const secret of secrets) {
    if (secret.hosts === null || secret.value === '' || hostInScope(hop.url, secret.hosts)) continue;
    if (carries(hop, secret.value)) {
      return `secret ${secret.name} may only be sent to ${secret.hosts.join(', ')}; refusing to send it to ${hop.url.host}`;
    }
  }
  return null;
}

export function carries(hop: Carried, value: string): boolean {
  // Every form masking knows: a password with `"`, `\`, a space or `+` goes out JSON-escaped in a
  // GraphQL body, form-encoded, as the URL parser encodes a query, or base64 in a Basic header.
  const forms = secretForms(value);
  const url = hop.url.href;
  for (const form of forms) {
    if (url.includes(form)) return true;
    if (hop.headers.some(([, headerValue]) => headerValue.includes(form))) return true;
    if (hop.body !== null && hop.body.includes(form)) return true;
  }
  return false;
}
