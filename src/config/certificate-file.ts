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
