import { htmlEscape } from '../assert/html-entities.js';

/**
 * Every secret value seen in a run, with the forms it can take on the wire and in echoes:
 * as written, percent-encoded (once or twice), form-encoded, HTML-escaped, JSON-escaped (once or
 * twice), base64 (alone, or inside `Authorization: Basic` where the executor reports the encoded
 * credentials itself) and hex, and what a base64 secret decodes to (assertion filters can show each of them).
 */
export class SecretSet {
  private readonly values = new Set<string>();
  private pattern: RegExp | null = null;

  add(value: string): void {
    if (value.length === 0) return;
    for (const form of derivedForms(value)) {
      if (form.length > 0 && !this.values.has(form)) {
        this.values.add(form);
        this.pattern = null;
      }
    }
  }

  /** Adds one exact form (e.g. a base64 credential) without deriving more. */
  addExact(value: string): void {
    if (value.length > 0 && !this.values.has(value)) {
      this.values.add(value);
      this.pattern = null;
    }
  }

  /** Every form another set holds (already derived) joins this one. */
  addAll(other: SecretSet): void {
    for (const form of other.values) this.addExact(form);
  }

  get size(): number {
    return this.values.size;
  }

  has(value: string): boolean {
    return this.values.has(value);
  }

  /** Longest forms first, so that a secret inside a longer secret is masked whole. */
  maskText(text: string): string {
    if (this.values.size === 0 || text.length === 0) return text;
    this.pattern ??= new RegExp(
      [...this.values].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'),
      'g',
    );
    const masked = text.replace(this.pattern, '***');
    return masked.includes('…') || masked.includes('...') ? this.maskCutEnds(masked) : masked;
  }

  /**
   * A quote cut short shows part of a secret: `…tok_8f3Kq… (truncated, 210 characters in all)`, V8's
   * `Unexpected token 'o', "{"a": tok_8f3Kq2L"... is not valid JSON`, a body preview cut at its limit.
   * Every cut is marked with an ellipsis, so the start of a secret right before one (past a closing
   * quote or a line break) and the end of a secret right after one are masked too, from
   * PARTIAL_MIN characters: shorter pieces say next to nothing, and would mask ordinary text.
   */
  private maskCutEnds(text: string): string {
    const cuts: [number, number][] = [];
    for (const marker of text.matchAll(CUT)) {
      const at = marker.index;
      let before = at;
      if (text[before - 1] === '"' || text[before - 1] === '\n') before--;
      const head = this.longestPiece(text, before, 'prefix');
      if (head > 0) cuts.push([before - head, before]);
      let after = at + marker[0].length;
      if (text[after] === '"') after++;
      const tail = this.longestPiece(text, after, 'suffix');
      if (tail > 0) cuts.push([after, after + tail]);
    }
    if (cuts.length === 0) return text;
    let out = '';
    let from = 0;
    for (const [start, end] of cuts.sort((a, b) => a[0] - b[0])) {
      if (start < from) continue;
      out += `${text.slice(from, start)}***`;
      from = end;
    }
    return out + text.slice(from);
  }

  /** The longest start (`prefix`, ending at `at`) or end (`suffix`, starting at `at`) of a form found there. */
  private longestPiece(text: string, at: number, piece: 'prefix' | 'suffix'): number {
    let best = 0;
    for (const form of this.values) {
      const most = Math.min(form.length - 1, piece === 'prefix' ? at : text.length - at);
      for (let length = most; length >= PARTIAL_MIN && length > best; length--) {
        const found = piece === 'prefix'
          ? text.startsWith(form.slice(0, length), at - length)
          : text.startsWith(form.slice(form.length - length), at);
        if (found) {
          best = length;
          break;
        }
      }
    }
    return best;
  }

  /**
   * The same forms, matched as UTF-8 bytes through a byte-preserving (latin1) view, so that a saved
   * binary body keeps every byte that is not a secret. Returns the input itself when nothing matched.
   */
  maskBytes(bytes: Buffer): Buffer {
    if (this.values.size === 0 || bytes.length === 0) return bytes;
    const pattern = new RegExp(
      [...this.values]
        .map((form) => Buffer.from(form, 'utf8').toString('latin1'))
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'g',
    );
    const text = bytes.toString('latin1');
    const masked = text.replace(pattern, '***');
    return masked === text ? bytes : Buffer.from(masked, 'latin1');
  }
}

const formsCache = new Map<string, readonly string[]>();

/**
 * Every form of one secret value (see SecretSet): what the executor looks for in a request before it
 * carries a host-scoped secret elsewhere, or a header to another origin. Cached: asked once per hop.
 */
export function secretForms(value: string): readonly string[] {
  let forms = formsCache.get(value);
  if (forms === undefined) {
    forms = value === '' ? [] : derivedForms(value);
    if (formsCache.size > 1000) formsCache.clear();
    formsCache.set(value, forms);
  }
  return forms;
}

/** Where a shown text was cut: `…` (ours), `...` (V8's JSON messages). */
const CUT = /…|\.\.\./g;
/** The shortest piece of a secret masked beside a cut. */
const PARTIAL_MIN = 3;

function derivedForms(value: string): string[] {
  // A lone surrogate goes out as U+FFFD (and encodeURIComponent would throw on it).
  const sendable = value.toWellFormed();
  const percent = new Set<string>([
    encodeURIComponent(sendable),
    encodeURIComponent(sendable).replace(/%20/g, '+'),
    encodeURI(sendable),
    // As the URL parser leaves it in a query or a path, which differs from encodeURI (a backslash, a quote).
    inUrl(value, 'search'),
    inUrl(value, 'pathname'),
    new URLSearchParams({ v: value }).toString().slice(2),
  ]);
  const encoded = new Set<string>([value, ...percent]);
  // Percent-encoded twice: a URL that held the secret, itself sent in a query (a login redirect's
  // `?return_to=`, an echo of the request URL in a Location or a link).
  for (const form of percent) {
    if (form === value) continue;
    encoded.add(encodeURIComponent(form));
    encoded.add(encodeURI(form));
  }
  // HTML-escaped, as the `htmlEscape` assertion filter shows an echoed secret.
  encoded.add(htmlEscape(value));
  // Short values' base64 and hex forms are too likely to occur by chance in ordinary text.
  if (value.length >= 6) {
    const bytes = Buffer.from(value, 'utf8');
    const base64 = bytes.toString('base64');
    encoded.add(base64);
    encoded.add(base64.replace(/=+$/, ''));
    encoded.add(bytes.toString('base64url'));
    // Assertion filters show bytes as hex (`toHex`, `utf8Encode`, `base64Decode`).
    encoded.add(bytes.toString('hex'));
    encoded.add(bytes.toString('hex').toUpperCase());
    // A secret that is base64 (API keys often are) also leaks through its decoded form.
    for (const decoded of base64Decoded(value)) {
      encoded.add(decoded.toString('hex'));
      const text = decoded.toString('utf8');
      if (text.length >= 6 && !text.includes('\uFFFD') && Buffer.from(text, 'utf8').equals(decoded)) encoded.add(text);
    }
  }
  // Each of them also as it reads inside a JSON string (an echoed URL in a JSON body), and escaped
  // twice: a JSON body (GraphQL's always is) echoed as a string, as httpbin's `data` echoes it.
  const forms = new Set<string>();
  for (const form of encoded) {
    const json = JSON.stringify(form).slice(1, -1);
    forms.add(form);
    forms.add(json);
    forms.add(JSON.stringify(json).slice(1, -1));
  }
  return [...forms];
}

/** The bytes a base64 or base64url value stands for; none when the value is not one. */
function base64Decoded(value: string): Buffer[] {
  if (value.length < 8 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return [];
  const decoded = Buffer.from(value, /[-_]/.test(value) ? 'base64url' : 'base64');
  return decoded.length >= 6 ? [decoded] : [];
}

function inUrl(value: string, part: 'search' | 'pathname'): string {
  const url = new URL('http://x/');
  // A leading marker keeps the setter from dropping a leading "?" or "/".
  url[part] = `a${value}`;
  const form = url[part].slice(2);
  // Dot segments ("/../") shrink a path; such a form is not the secret and would mask unrelated text.
  return form.length >= value.length ? form : value;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
