/**
 * How reports print an expected or actual value: JSON, so that the string "404" and the number 404
 * look different, on one line, and short enough that a large body does not flood a CI log.
 */
const MAX_VALUE_LENGTH = 1000;

export function formatValue(value: unknown): string {
  if (value === undefined) return '(none)';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Cycles or BigInt cannot come from a JSON report, but a library caller may hand us anything.
    text = String(value);
  }
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}… (${text.length} chars)` : text;
}

/** `412 ms` under a second, `3.21 s` under a minute, `2 m 05 s` above. */
export function formatDuration(ms: number): string {
  const rounded = Math.round(ms);
  if (rounded < 1000) return `${rounded} ms`;
  if (rounded < 60_000) return `${(rounded / 1000).toFixed(2)} s`;
  const minutes = Math.floor(rounded / 60_000);
  const seconds = Math.floor((rounded % 60_000) / 1000);
  return `${minutes} m ${String(seconds).padStart(2, '0')} s`;
}

/** `1 request`, `2 requests`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
