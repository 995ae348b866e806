import { readFile, writeFile } from 'node:fs/promises';
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

/** `>> file` saves the body as received; secrets in it (an echoed token) are masked there too. */
export async function maskSavedFile(path: string, secrets: SecretSet): Promise<void> {
  if (secrets.size === 0) return;
  try {
    const bytes = await readFile(path);
    const masked = secrets.maskBytes(bytes);
    if (masked !== bytes) await writeFile(path, masked);
  } catch {
    // The save itself succeeded; a file that vanished or cannot be rewritten has nothing to mask.
  }
}
