/**
 * Every secret value seen in a run, with the forms it can take on the wire and in echoes:
 * as written, percent-encoded, form-encoded, JSON-escaped and base64 (alone, or inside
 * `Authorization: Basic` where the executor reports the encoded credentials itself).
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
    return text.replace(this.pattern, '***');
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

function derivedForms(value: string): string[] {
  const encoded = new Set<string>([
    value,
    encodeURIComponent(value),
    encodeURIComponent(value).replace(/%20/g, '+'),
    encodeURI(value),
    // As the URL parser leaves it in a query or a path, which differs from encodeURI (a backslash, a quote).
    inUrl(value, 'search'),
    inUrl(value, 'pathname'),
    new URLSearchParams({ v: value }).toString().slice(2),
  ]);
  // Short values' base64 forms are too likely to occur by chance in ordinary text.
  if (value.length >= 6) {
    const base64 = Buffer.from(value, 'utf8').toString('base64');
    encoded.add(base64);
    encoded.add(base64.replace(/=+$/, ''));
    encoded.add(Buffer.from(value, 'utf8').toString('base64url'));
  }
  // Each of them also as it reads inside a JSON string (an echoed URL in a JSON body).
  const forms = new Set<string>();
  for (const form of encoded) {
    forms.add(form);
    forms.add(JSON.stringify(form).slice(1, -1));
  }
  return [...forms];
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
