/**
 * What undici's ProxyAgent accepts: an absolute URL of one of these schemes, with a host. httprun.yaml's
 * `proxy:` is checked with it when read, and HTTP(S)_PROXY when the client is made.
 */
export function isProxyUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return ['http:', 'https:', 'socks:', 'socks5:'].includes(url.protocol) && url.hostname !== '';
}
