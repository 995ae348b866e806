/**
 * Default headers of several sources as one, the later source winning on a name; names match
 * whatever their case (`accept` replaces `Accept`), keeping the later spelling.
 */
export function overrideHeaders(...sources: (Readonly<Record<string, string>> | undefined)[]): Record<string, string> {
  // Keyed by the lower-case name; fromEntries at the end, so a "__proto__" name stays a key.
  const headers = new Map<string, [string, string]>();
  for (const source of sources) {
    for (const [name, value] of Object.entries(source ?? {})) {
      const key = name.toLowerCase();
      headers.delete(key);
      headers.set(key, [name, value]);
    }
  }
  return Object.fromEntries(headers.values());
}
