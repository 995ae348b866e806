import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeIoError } from '../describe-io-error.js';

/**
 * A client certificate file, read when the config is loaded so that a missing one is a located
 * error before anything is sent: PEM (`cert`, `key`) as text, PKCS#12 (`pfx`) as base64.
 */
export function readCertificateFile(base: string, written: string, kind: 'cert' | 'key' | 'pfx'): { content: string } | { error: string } {
  try {
    const bytes = readFileSync(resolve(base, written));
    return { content: kind === 'pfx' ? bytes.toString('base64') : bytes.toString('utf8') };
  } catch (error) {
    return { error: `cannot read ${written}: ${describeIoError(error)}` };
  }
}

/**
 * What is wrong with a --cacert file, or null: Node ignores a CA file that holds no PEM certificate
 * without a word, and every request would then fail verification as if the flag had not been given.
 */
export function caFileProblem(text: string): string | null {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (blocks === null) {
    return text.includes('\0') || /[^\x09\x0a\x0d\x20-\x7e]/.test(text.slice(0, 64))
      ? 'holds no PEM certificate (is it DER? openssl x509 -inform der -in FILE -out FILE.pem converts it)'
      : 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)';
  }
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      return `certificate ${index + 1} of ${blocks.length} cannot be read`;
    }
  }
  return null;
}
