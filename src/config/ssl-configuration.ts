import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { describeIoError } from '../describe-io-error.js';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import type { JsonNode } from './json-document.js';
import type { ClientCertificate } from './project-config.js';
import type { PositionIndex } from './text-position.js';

/**
 * JetBrains' `SSLConfiguration` object inside an environment of an env file (usually the private
 * one): a client certificate for every host of that environment, and `verifyHostCertificate: false`
 * for a development server with a self-signed certificate.
 */
export interface SslConfiguration {
  certificate?: ClientCertificate;
  /** `verifyHostCertificate: false`. */
  insecure?: true;
}

export const SSL_CONFIGURATION_KEY = 'SSLConfiguration';

const KEYS = ['clientCertificate', 'clientCertificateKey', 'hasCertificatePassphrase', 'verifyHostCertificate'];

/** Reads the object; paths are relative to the env file, files in PEM or (`"format": "DER"`) DER. */
export function readSslConfiguration(
  node: JsonNode,
  envFile: string,
  environment: string,
  positions: PositionIndex,
): { ssl: SslConfiguration; diagnostics: Diagnostic[] } {
  const ssl: SslConfiguration = {};
  const diagnostics: Diagnostic[] = [];
  const label = `${SSL_CONFIGURATION_KEY} of environment "${environment}" in ${basename(envFile)}`;
  const fail = (message: string, at: JsonNode) => diagnostics.push(diagnostic('error', 'config/invalid-ssl-configuration', `${label}: ${message}`, positions.span(at.start, at.end)));
  if (node.type !== 'object') {
    fail(`must be an object (clientCertificate, clientCertificateKey, verifyHostCertificate), got ${node.type}`, node);
    return { ssl, diagnostics };
  }
  let cert: string | undefined;
  let key: string | undefined;
  for (const entry of node.entries) {
    const value = entry.value;
    if (entry.key === 'verifyHostCertificate') {
      if (value.type !== 'boolean') fail('verifyHostCertificate must be true or false', value);
      else if (!value.value) ssl.insecure = true;
    } else if (entry.key === 'clientCertificate' || entry.key === 'clientCertificateKey') {
      const read = readPem(value, dirname(envFile), entry.key === 'clientCertificate' ? 'certificate' : 'key');
      if ('error' in read) fail(`${entry.key}: ${read.error}`, value);
      else if (entry.key === 'clientCertificate') cert = read.pem;
      else key = read.pem;
    } else if (entry.key === 'hasCertificatePassphrase') {
      // The IDE asks for the passphrase; a command line cannot.
      if (value.type === 'boolean' && value.value) {
        fail('hasCertificatePassphrase: httprun cannot ask for the passphrase; give the certificate in httprun.yaml under clientCertificates with passphrase: ...', value);
      }
    } else {
      diagnostics.push(
        diagnostic('warning', 'config/unknown-key', `${label}: unknown key "${entry.key}" (known: ${KEYS.join(', ')}); it is ignored`, positions.span(entry.keyStart, entry.keyEnd)),
      );
    }
  }
  // A PEM certificate file may hold its key too; Node reads the key from `key` only.
  if (cert !== undefined) ssl.certificate = { cert, key: key ?? cert };
  return { ssl, diagnostics };
}

/** `"cert.pem"` or `{ "path": "cert.der", "format": "DER" }`, as PEM text. */
function readPem(node: JsonNode, base: string, kind: 'certificate' | 'key'): { pem: string } | { error: string } {
  let path: string;
  let format = 'PEM';
  if (node.type === 'string') path = node.value;
  else if (node.type === 'object') {
    const pathNode = node.entries.find((entry) => entry.key === 'path')?.value;
    const formatNode = node.entries.find((entry) => entry.key === 'format')?.value;
    if (pathNode?.type !== 'string') return { error: 'expected a path, or { "path": ..., "format": "PEM" | "DER" }' };
    path = pathNode.value;
    if (formatNode !== undefined) {
      if (formatNode.type !== 'string' || !/^(PEM|DER)$/i.test(formatNode.value)) return { error: 'format must be "PEM" or "DER"' };
      format = formatNode.value.toUpperCase();
    }
  } else return { error: 'expected a path, or { "path": ..., "format": "PEM" | "DER" }' };
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(base, path));
  } catch (error) {
    return { error: `cannot read ${path}: ${describeIoError(error)}` };
  }
  if (format === 'PEM') return { pem: bytes.toString('utf8') };
  if (kind === 'certificate') {
    try {
      return { pem: new X509Certificate(bytes).toString() };
    } catch (error) {
      return { error: `${path} is not a DER certificate: ${(error as Error).message}` };
    }
  }
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return { pem: createPrivateKey({ key: bytes, format: 'der', type }).export({ format: 'pem', type: 'pkcs8' }).toString() };
    } catch {
      // Try the next DER key layout.
    }
  }
  return { error: `${path} is not a DER private key (PKCS#8, PKCS#1 or SEC1)` };
}
