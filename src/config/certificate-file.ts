import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
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

/**
 * Why Node cannot use a client certificate as configured (a key of another certificate, a missing
 * or wrong passphrase, a file that is not PEM), or null: in words, where OpenSSL would give
 * "bad decrypt" or "mac verify failure". Asked when a host's first connection needs the certificate
 * (a config may hold certificates for hosts a run never calls).
 */
export function clientCertificateProblem(certificate: { cert?: string; key?: string; pfx?: Buffer; passphrase?: string }): string | null {
  const { cert, key, pfx, passphrase } = certificate;
  try {
    createSecureContext({
      ...(cert !== undefined ? { cert } : {}),
      ...(key !== undefined ? { key } : {}),
      ...(pfx !== undefined ? { pfx } : {}),
      // An empty passphrase, never none: without one OpenSSL may ask on the terminal.
      passphrase: passphrase ?? '',
    });
    return null;
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const text = String(message ?? error);
    if (code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH') return 'the key does not belong to the certificate';
    if (code === 'ERR_OSSL_BAD_DECRYPT' || /bad decrypt/i.test(text)) {
      return passphrase === undefined ? 'the key is encrypted: give its passphrase (passphrase: ...)' : 'the passphrase does not decrypt the key';
    }
    if (/mac verify failure/i.test(text)) {
      return passphrase === undefined ? 'the PKCS#12 file needs its passphrase (passphrase: ...)' : 'the passphrase does not open the PKCS#12 file';
    }
    if (code === 'ERR_OSSL_PEM_NO_START_LINE') return `the ${pfx !== undefined ? 'PKCS#12 file' : 'certificate or key'} is not in the expected format (PEM: -----BEGIN ...)`;
    const reason = /error:[0-9A-F]+:[^:]*:[^:]*:([^:]+)/.exec(text)?.[1] ?? text;
    return `Node cannot use it: ${reason.replace(/\s+/g, ' ').trim()}`;
  }
}
