/**
 * Patterns for `matches` and `regex`, as SPEC §7 spells them: bare (`^\d+$`), between slashes
 * with flags (`/^ab/i`), and a leading `(?i)` (the inline-flag form Hurl and PCRE users write)
 * meaning the `i` flag. `(?m)` and `(?s)` are read the same way.
 */
export function parsePattern(text: string): { pattern: RegExp } | { error: string } {
  let source = text;
  let flags = '';
  const slashed = /^\/([\s\S]*)\/([a-z]*)$/.exec(text);
  if (slashed !== null && slashed[1] !== '') {
    source = slashed[1] ?? '';
    flags = slashed[2] ?? '';
  }
  const inline = /^\(\?([ims]+)\)/.exec(source);
  if (inline !== null) {
    source = source.slice(inline[0].length);
    for (const flag of inline[1] ?? '') if (!flags.includes(flag)) flags += flag;
  }
  try {
    return { pattern: new RegExp(source, flags) };
  } catch (error) {
    // V8 says `Invalid regular expression: /(/: Unterminated group`; keep the reason only.
    const reason = (error as Error).message.replace(/^Invalid regular expression: \/[\s\S]*\/[a-z]*: /, '');
    return { error: `invalid regular expression ${JSON.stringify(text)}: ${reason}` };
  }
}
