/** Latin-1 bytes; characters it cannot hold become `?`, as a Latin-1 server would send them. */
export function encodeLatin1(text: string): Buffer {
  return Buffer.from([...text].map((char) => (char.codePointAt(0)! <= 0xff ? char : '?')).join(''), 'latin1');
}
