import { createRequire } from 'node:module';
import type { Cookie, CookieJar } from 'tough-cookie';
import type { CookieStore } from './prepared-request.js';

/** A `Set-Cookie` header as received, with the URL that sent it: enough to store it again in another jar. */
export interface ReceivedCookie {
  cookie: string;
  url: string;
}

/**
 * A per-file cookie jar that loads tough-cookie only when a response first sets a cookie. Most
 * request files never see one, and loading the library (with its public-suffix list) costs more
 * than a simple run takes; until then the jar is empty and answers without it.
 */
export class LazyCookieJar implements CookieStore {
  private jar: CookieJar | null = null;

  isEmpty(): boolean {
    return this.jar === null;
  }

  async getCookies(url: string): Promise<Cookie[]> {
    return this.jar === null ? [] : this.jar.getCookies(url);
  }

  async setCookie(cookie: string, url: string, options: { ignoreError: boolean }): Promise<Cookie | undefined> {
    this.jar ??= new (createRequire(import.meta.url)('tough-cookie') as typeof import('tough-cookie')).CookieJar();
    return this.jar.setCookie(cookie, url, options);
  }

  /**
   * This jar, noting every `Set-Cookie` stored through it in `received`. An imported request's
   * cookies are stored in its own file's jar and then in the jar of each file that runs it, which
   * may get the request's result later from another importer (it runs once per run).
   */
  recording(received: ReceivedCookie[]): CookieStore {
    return {
      isEmpty: () => this.isEmpty(),
      getCookies: (url) => this.getCookies(url),
      setCookie: (cookie, url, options) => {
        received.push({ cookie, url });
        return this.setCookie(cookie, url, options);
      },
    };
  }

  /** Stores cookies another jar received, as if this file's request had received them. */
  async receive(received: readonly ReceivedCookie[]): Promise<void> {
    for (const { cookie, url } of received) await this.setCookie(cookie, url, { ignoreError: true });
  }
}
