// Characters a URL (and so an application/x-www-form-urlencoded body) may carry as they are, plus
// `%` when it starts a valid escape: the set of the `encodeurl` package, which REST Client (its
// default "automatic" formParamEncodingStrategy) and httpyac apply to a form body written inline.
const NEEDS_ENCODING = /(?:[^\x21\x23-\x3B\x3D\x3F-\x5F\x61-\x7A\x7C\x7E]|%(?:[^0-9A-Fa-f]|[0-9A-Fa-f][^0-9A-Fa-f]|$))+/g;

// Blanks around `=` and `&` (and at line ends) are layout, as httpyac reads a form: `foo = a & b = c`.
const LAYOUT = /[ \t]*([=&\n])[ \t]*/g;

/**
 * Percent-encodes what a form body may not carry raw (spaces, quotes, non-ASCII, a stray `%`), and
 * leaves what it may (`&`, `=`, `+`, existing `%XX` escapes) alone: `a=x y&b=%20` → `a=x%20y&b=%20`.
 * Blanks around `=` and `&` go first: `foo = a & bar = b c` → `foo=a&bar=b%20c`.
 */
export function encodeFormText(text: string): string {
  return text
    .replace(LAYOUT, '$1')
    .toWellFormed()
    .replace(NEEDS_ENCODING, (run) => encodeURI(run));
}
