/** "500 ms", "5 s", "1.5 s", "2 min": how durations read in one-line error messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000 || ms % 60_000 !== 0) return `${trim(ms / 1000)} s`;
  return `${ms / 60_000} min`;
}

function trim(value: number): string {
  return String(Math.round(value * 100) / 100);
}
