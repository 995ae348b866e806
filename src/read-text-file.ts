import { readFileSync } from 'node:fs';

/**
 * A request or config file's text. UTF-8 unless a byte order mark says UTF-16, as Windows PowerShell
 * 5's `>` and `Out-File` write by default and as JetBrains and VS Code read it; read as UTF-8, such a
 * file was a parse error showing `��G E T` (every other byte a NUL).
 */
export function readTextFile(path: string): string {
  return decodeText(readFileSync(path));
}

export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    // Big-endian: swap each pair to little-endian (an odd last byte cannot be a character).
    const swapped = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    return swapped.swap16().toString('utf16le');
  }
  return bytes.toString('utf8');
}
