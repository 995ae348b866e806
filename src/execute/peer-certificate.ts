import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from './exchange.js';

/**
 * Hurl's view of a server certificate, from its DER bytes. The certificate is parsed, and each
 * field formatted, the first time one is read: a connection pays for copying the bytes only.
 */
export class LazyPeerCertificate implements PeerCertificate {
  private cache: Partial<Record<keyof PeerCertificate, unknown>> = {};
  private parsed: X509Certificate | undefined;

  constructor(private readonly der: Buffer) {}

  private get x509(): X509Certificate {
    this.parsed ??= new X509Certificate(this.der);
    return this.parsed;
  }

  get subject(): string {
    return this.memo('subject', () => distinguishedName(this.x509.subject));
  }

  get issuer(): string {
    return this.memo('issuer', () => distinguishedName(this.x509.issuer));
  }

  get startDate(): Date {
    return this.memo('startDate', () => certificateDate(this.x509.validFrom));
  }

  get expireDate(): Date {
    return this.memo('expireDate', () => certificateDate(this.x509.validTo));
  }

  get serialNumber(): string {
    return this.memo('serialNumber', () => serialNumberText(this.x509.serialNumber));
  }

  get subjectAltName(): string | undefined {
    return this.memo('subjectAltName', () => this.x509.subjectAltName);
  }

  get pem(): string {
    return this.memo('pem', () => this.x509.toString());
  }

  private memo<T>(key: keyof PeerCertificate, read: () => T): T {
    if (!(key in this.cache)) this.cache[key] = read();
    return this.cache[key] as T;
  }
}

/**
 * Node writes a name one attribute per line (`C=US\nO=Dis\nCN=localhost`); Hurl's documentation
 * writes it as `C=US, O=Dis, CN=localhost`, the order kept.
 */
export function distinguishedName(multiline: string): string {
  return multiline.split('\n').filter((part) => part !== '').join(', ');
}

/** `Mar 15 10:48:00 2025 GMT`, as OpenSSL prints it. */
export function certificateDate(text: string): Date {
  return new Date(text.replace(/\s+/g, ' '));
}

/** Node gives `3E23BB87`; Hurl (from libcurl's bytes) `3e:23:bb:87`. */
export function serialNumberText(hex: string): string {
  const even = hex.length % 2 === 1 ? `0${hex}` : hex;
  return (even.toLowerCase().match(/../g) ?? []).join(':');
}
