import type { SecretSet } from './secret-set.js';

/** The one place secrets become ***: every string anywhere inside the value is masked. */
export function mask<T>(value: T, secrets: SecretSet): T {
  if (secrets.size === 0) return value;
  return maskValue(value, secrets) as T;
}

function maskValue(value: unknown, secrets: SecretSet): unknown {
  if (typeof value === 'string') return secrets.maskText(value);
  if (Array.isArray(value)) return value.map((item) => maskValue(item, secrets));
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[secrets.maskText(key)] = maskValue(item, secrets);
    return out;
  }
  return value;
}
