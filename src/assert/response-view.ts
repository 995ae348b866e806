import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Cookie } from 'tough-cookie';
import type { Exchange } from '../execute/exchange.js';
import { BodyView, type JsonView, type MarkupDocument } from './body-view.js';

/** A parsed Set-Cookie header and the line it came from. */
export interface SetCookie {
  cookie: Cookie;
  line: string;
}

/**
 * What assertions and captures read from one exchange. One per response: the body is decoded,
 * parsed as JSON or XML and hashed at most once, however many assertions read it.
 */
export class ResponseView {
  private readonly body: BodyView;
  private requestBody: BodyView | undefined;
  private parsedCookies: SetCookie[] | undefined;
  private readonly digests = new Map<string, string>();

  constructor(readonly exchange: Exchange) {
    this.body = new BodyView(exchange.response.body, headerValue(exchange.response.headers, 'content-type'));
  }

  /** False when the executor drained the body because nothing was going to read it. */
  hasBody(): boolean {
    return this.exchange.response.body !== null;
  }

  /** The response body decoded by its Content-Type charset (UTF-8 by default). */
  text(): string {
    return this.body.text();
  }

  /** The response body as JSON, parsed once; big integers are kept exact as bigint. */
  json(): { value: unknown } | { error: string } {
    const parsed = this.body.json();
    return 'error' in parsed ? parsed : { value: parsed.value };
  }

  /** The same tree as json() with plain numbers, plus the exact one (JSONPath filters run on the lossy tree). */
  jsonTrees(): JsonView {
    return this.body.json();
  }

  /** The response body as an XML (or HTML) document. */
  markup(): { document: MarkupDocument } | { error: string } {
    return this.body.markup();
  }

  /** The response body as a BodyView (shared cache with text()/json()/markup()). */
  responseBody(): BodyView {
    return this.body;
  }

  /** The body of the sent request, read the same way as a response body. */
  request(): BodyView {
    this.requestBody ??= new BodyView(this.exchange.request.body, headerValue(this.exchange.request.headers, 'content-type'));
    return this.requestBody;
  }

  /** All values of a response header, in arrival order (names compared case-insensitively). */
  headers(name: string): string[] {
    return headerValues(this.exchange.response.headers, name);
  }

  /** Cookies the response sets, in Set-Cookie order; lines tough-cookie cannot parse are left out. */
  cookies(): SetCookie[] {
    if (this.parsedCookies !== undefined) return this.parsedCookies;
    const lines = this.headers('set-cookie');
    // Required only when there is a cookie to parse: loading tough-cookie costs more than a simple run.
    const parse = lines.length === 0 ? null : (createRequire(import.meta.url)('tough-cookie') as typeof import('tough-cookie')).Cookie.parse;
    this.parsedCookies = lines.flatMap((line) => {
      const cookie = parse!(line, { loose: true });
      return cookie ? [{ cookie, line }] : [];
    });
    return this.parsedCookies;
  }

  /** The cookie a jar would keep for this name: a later Set-Cookie replaces an earlier one. */
  cookie(name: string): SetCookie | undefined {
    return this.cookies().findLast((entry) => entry.cookie.key === name);
  }

  /** Lowercase hex digest of the body bytes. */
  digest(algorithm: 'sha256' | 'md5' | 'sha512', encoding: 'hex' | 'base64' = 'hex'): string {
    const key = `${algorithm}:${encoding}`;
    let digest = this.digests.get(key);
    if (digest === undefined) {
      digest = createHash(algorithm)
        .update(this.exchange.response.body ?? Buffer.alloc(0))
        .digest(encoding);
      this.digests.set(key, digest);
    }
    return digest;
  }
}

export function headerValues(headers: readonly [string, string][], name: string): string[] {
  const wanted = name.toLowerCase();
  // An indexed loop: filter and map over destructured pairs cost two closures and the iterator protocol per response.
  const values: string[] = [];
  for (let i = 0; i < headers.length; i++) {
    if (headers[i]![0].toLowerCase() === wanted) values.push(headers[i]![1]);
  }
  return values;
}

function headerValue(headers: readonly [string, string][], name: string): string | null {
  return headerValues(headers, name)[0] ?? null;
}
