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
}

function derivedForms(value: string): string[] {
  const forms = new Set<string>([value]);
  forms.add(encodeURIComponent(value));
  forms.add(encodeURIComponent(value).replace(/%20/g, '+'));
  forms.add(encodeURI(value));
  forms.add(JSON.stringify(value).slice(1, -1));
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  // Short values' base64 forms are too likely to occur by chance in ordinary text.
  if (value.length >= 6) {
    forms.add(base64);
    forms.add(base64.replace(/=+$/, ''));
    forms.add(Buffer.from(value, 'utf8').toString('base64url'));
  }
  return [...forms];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
