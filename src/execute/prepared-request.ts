import type { Cookie } from 'tough-cookie';

/** A fully rendered request: every variable and secret already substituted by the runner. */
export interface PreparedRequest {
  method: string;
  /** As rendered from the file; `sendRequest` normalises it (scheme-less → http://, encoding). */
  url: string;
  /** As written, in order; repeated names stay repeated. */
  headers: [string, string][];
  /** `{ path }` is a file body, streamed from disk with its size as Content-Length. */
  body: Buffer | null | { path: string };
  /** 'HTTP/2' asks for h2 (negotiated by ALPN over TLS); anything else is HTTP/1.1. */
  httpVersion: string | null;
  /** `OPTIONS * HTTP/1.1`: the request target is `*` (the URL names only the server). */
  asteriskForm?: true;
}

export interface SecretValue {
  name: string;
  value: string;
  /** Hosts the secret may be sent to (`host` matches any port, `host:port` only that port); null = anywhere. */
  hosts: string[] | null;
}

/** What the executor needs of a cookie jar. */
export interface CookieStore {
  getCookies(url: string): Promise<Cookie[]>;
  setCookie(cookie: string, url: string, options: { ignoreError: boolean }): Promise<unknown>;
  /** True while no cookie was ever set: the sender then skips asking for cookies. */
  isEmpty?(): boolean;
}

export interface SendOptions {
  followRedirects: boolean;
  maxRedirects: number;
  /** Whole exchange, redirects included; 0 disables. */
  timeoutMs: number;
  connectionTimeoutMs: number;
  /**
   * Limit on the decoded body; only applies when the body is read or saved. 0 is no limit, as
   * curl's `--max-filesize 0` (and as `timeoutMs` 0 is no timeout).
   */
  maxBodyBytes: number;
  /** false → the body is drained without being stored (response.body = null). */
  readBody: boolean;
  /**
   * With readBody false: keep the first bytes (decoded) for display, drain the rest, never fail on
   * size or bad coding (response.body = the preview, bodyTruncated when cut). 0 or absent: keep nothing.
   */
  previewBytes?: number;
  /** tough-cookie's CookieJar, or a LazyCookieJar that loads it when a response first sets a cookie. */
  cookieJar: CookieStore | null;
  secrets: SecretValue[];
  /** "httprun/<version>", sent only when the file wrote no User-Agent. */
  userAgent: string;
  signal?: AbortSignal;
  /** `>> file` (a new `name-1.ext` when the file exists, as JetBrains/httpyac do) or `>>! file` (overwrite). */
  saveTo?: { path: string; overwrite: boolean };
  /** `# @insecure`: skip TLS verification for this request even when the client verifies. */
  insecure?: boolean;
}
