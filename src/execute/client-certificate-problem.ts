import { createSecureContext } from 'node:tls';
import { opensslReason } from './map-error.js';

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
    return `Node cannot use it: ${opensslReason(text)}`;
  }
}
