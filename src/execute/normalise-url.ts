/**
 * Turns the URL as written into one undici can send: a missing scheme means http://, spaces and
 * non-ASCII are percent-encoded by the WHATWG parser (which leaves existing %xx escapes alone), a
 * lone `%` becomes `%25`, and the fragment is dropped (it never goes over the wire).
 */
export function normaliseUrl(written: string): { url: URL } | { error: string } {
  let text = written.trim();
  if (text.startsWith('//')) text = `http:${text}`;
  else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `http://${text}`;
  if (text.includes('%')) text = text.replace(/%(?![0-9a-f]{2})/gi, '%25');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: `invalid URL: ${written}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { error: `unsupported URL scheme ${url.protocol.slice(0, -1)}: ${written}` };
  }
  // The setter re-serialises the URL: only worth it when there is a fragment (or a bare '#').
  if (text.includes('#')) url.hash = '';
  return { url };
}
