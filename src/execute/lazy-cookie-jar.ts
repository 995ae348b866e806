import { createRequire } from 'node:module';
import type { Cookie, CookieJar } from 'tough-cookie';

/**
 * A per-file cookie jar that loads tough-cookie only when a response first sets a cookie. Most
 * request files never see one, and loading the library (with its public-suffix list) costs more
 * than a simple run takes; until then the jar is empty and answers without it.
 */
export class LazyCookieJar {
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
}
