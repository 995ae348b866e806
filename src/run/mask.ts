import { readFile, writeFile } from 'node:fs/promises';
import type { SecretSet } from './secret-set.js';

/** The one place secrets become ***: every string anywhere inside the value is masked. */
export function mask<T>(value: T, secrets: SecretSet): T {
  if (secrets.size === 0) return value;
  return maskValue(value, secrets) as T;
}

// The run's own shape is never masked: a short secret such as `pass` would otherwise turn the key
// and outcome `passed` into `***ed` and break every reader. Keys are masked only inside an
// assertion's `expected`/`actual`, which hold response data (a JSON object may be keyed by a token).
const ENUM_FIELDS = new Set(['type', 'outcome', 'severity', 'code']);
const DATA_FIELDS = new Set(['expected', 'actual']);

function maskValue(value: unknown, secrets: SecretSet, inData = false): unknown {
  if (typeof value === 'string') return secrets.maskText(value);
  if (Array.isArray(value)) return value.map((item) => maskValue(item, secrets, inData));
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    // A diagnostic's span is a SourceSpan whose line and column are getters: copying its own fields
    // kept only the offsets, and the first reader of `span.start.line` crashed the file. What it
    // serialises to (file, start, end) is plain data.
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return maskValue((value as { toJSON(): unknown }).toJSON(), secrets, inData);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (inData) out[secrets.maskText(key)] = maskValue(item, secrets, true);
      else out[key] = ENUM_FIELDS.has(key) && typeof item === 'string' ? item : maskValue(item, secrets, DATA_FIELDS.has(key));
    }
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
