/**
 * The `Authorization` shortcuts that JetBrains, REST Client and httpyac accept: `Basic user pass`,
 * `Basic user:pass` (encoded here), an already encoded `Basic xxx` (left alone), and
 * `Digest user pass` (answered after the server's 401 challenge).
 */
export type AuthShortcut =
  | { kind: 'none' }
  | { kind: 'basic'; header: string; encoded: string }
  | { kind: 'digest'; username: string; password: string };

export function parseAuthShortcut(value: string): AuthShortcut {
  const match = /^\s*(basic|digest)\s+(.*?)\s*$/is.exec(value);
  if (!match) return { kind: 'none' };
  const scheme = match[1]!.toLowerCase();
  const credentials = splitCredentials(match[2]!);
  if (scheme === 'basic') {
    if (credentials === null || isEncodedBasic(match[2]!)) return { kind: 'none' };
    const encoded = Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64');
    return { kind: 'basic', header: `Basic ${encoded}`, encoded };
  }
  // A verbatim Digest header (`Digest username="x", realm=...`) is the file's business.
  if (credentials === null || /=\s*"/.test(match[2]!)) return { kind: 'none' };
  return { kind: 'digest', ...credentials };
}

function splitCredentials(rest: string): { username: string; password: string } | null {
  const space = /\s+/.exec(rest);
  // `user:pa ss` is the colon form with a space in the password; `user pass` the space form.
  if (space && !rest.slice(0, space.index).includes(':')) return { username: rest.slice(0, space.index), password: rest.slice(space.index + space[0].length) };
  const colon = rest.indexOf(':');
  if (colon >= 0) return { username: rest.slice(0, colon), password: rest.slice(colon + 1) };
  return null;
}

/** A single token that is valid base64 of `something:something` was encoded by the author. */
function isEncodedBasic(token: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token) || token.length % 4 !== 0) return false;
  return Buffer.from(token, 'base64').toString('utf8').includes(':');
}
