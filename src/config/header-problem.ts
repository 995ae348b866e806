/**
 * A header no request can send: undici refuses it at send time with "invalid header key" or
 * "invalid X header". A header in a request file, or a configured default header (REST Client's
 * `rest-client.defaultHeaders`, httpyac's `defaultHeaders`, kulala's `$kulalaDefaultHeaders`), is reported
 * where it is written instead,
 * before anything goes out.
 */

/** RFC 9110 §5.1: a field name is a token. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * What undici refuses in a value (its headerCharRegex): control characters other than a tab, and
 * characters beyond Latin-1. Neither the value nor the character is shown: the value may be a secret.
 */
const BAD_VALUE_CHARACTER = /[^\t\x20-\x7e\x80-\xff]/;

/** Why the header cannot be sent, e.g. `"X Y" is not a valid header name (...)`; null when it can. */
export function headerProblem(name: string, value: string): { part: 'name' | 'value'; message: string } | null {
  if (!TOKEN.test(name)) {
    return {
      part: 'name',
      message: `${JSON.stringify(name)} is not a valid header name (letters, digits and !#$%&'*+.^_\`|~- only; no spaces or colons)`,
    };
  }
  const bad = BAD_VALUE_CHARACTER.exec(value);
  if (bad !== null) {
    const character = bad[0];
    const what =
      character === '\r' || character === '\n'
        ? 'a line break (CR or LF)'
        : character.charCodeAt(0) < 0x80
          ? 'a control character'
          : 'a character beyond Latin-1';
    return { part: 'value', message: `the value of header "${name}" contains ${what}, which no HTTP request can carry` };
  }
  return null;
}
