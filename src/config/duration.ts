/**
 * Durations and sizes as people write them in flags, metadata and httprun.yaml.
 *
 * A bare number is milliseconds by default (`timeout: 500` in httprun.yaml); a caller whose dialect reads
 * bare numbers as seconds (JetBrains' `# @timeout 30`) passes `'s'`.
 */
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?$/;

/** Milliseconds (rounded to a whole number), or null when the text is not a duration. */
export function parseDuration(text: string, bareUnit: 'ms' | 's' = 'ms'): number | null {
  const match = DURATION.exec(text.trim());
  if (match === null) return null;
  const factor = DURATION_UNITS[match[2] ?? bareUnit] ?? 1;
  const value = Math.round(Number(match[1]) * factor);
  return Number.isSafeInteger(value) ? value : null;
}

// SI prefixes count in thousands, IEC prefixes and a bare letter (curl's `512k`) in 1024s.
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  k: 1024, kb: 1000, kib: 1024,
  m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3,
};
const SIZE = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$/i;

/** Bytes (rounded down), or null when the text is not a size. */
export function parseSize(text: string): number | null {
  const match = SIZE.exec(text.trim());
  if (match === null) return null;
  const unit = (match[2] ?? '').toLowerCase();
  const factor = unit === '' ? 1 : SIZE_UNITS[unit];
  if (factor === undefined) return null;
  const value = Math.floor(Number(match[1]) * factor);
  return Number.isSafeInteger(value) ? value : null;
}
