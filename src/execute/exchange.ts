/** What went over the wire for one request, as the assertion and capture steps read it. */

export interface SentRequest {
  method: string;
  url: string;
  headers: [string, string][];
  /** The body bytes sent (null when none, or streamed from a file and not kept). */
  body: Buffer | null;
}

export interface ReceivedResponse {
  status: number;
  statusText: string;
  /** 'HTTP/1.1' or 'HTTP/2'. */
  httpVersion: string;
  /** In arrival order; names as received. Repeated headers appear repeatedly. */
  headers: [string, string][];
  /** Decoded (gzip/br/deflate undone) body bytes; null when nothing needed the body and it was drained. */
  body: Buffer | null;
  /** true when `body` holds only the first bytes of a body nothing read (a preview for display; `SendOptions.previewBytes`). */
  bodyTruncated?: boolean;
  /** Final URL after redirects. */
  url: string;
  /** URLs of each hop before the final one. */
  redirects: string[];
  durationMs: number;
  /**
   * IP address of the peer of the connection that carried the final hop: the server, or the proxy
   * when one was used (as curl's CURLINFO_PRIMARY_IP, which Hurl's `ip` reads). Absent when unknown.
   */
  ip?: string;
  /** The server's certificate on the TLS connection that carried the final hop; absent on plain http. */
  certificate?: PeerCertificate;
}

/**
 * A server certificate as Hurl's `certificate` query shows it. Read lazily: most responses are
 * never asked, and one connection's certificate serves every response it carries.
 */
export interface PeerCertificate {
  /** `C=US, O=Example, CN=example.org`: the name's parts in certificate order. */
  readonly subject: string;
  readonly issuer: string;
  readonly startDate: Date;
  readonly expireDate: Date;
  /** Lowercase hex byte pairs joined by colons, as Hurl writes it: `3e:23:bb:87`. */
  readonly serialNumber: string;
  /** `DNS:localhost, IP Address:127.0.0.1`; undefined when the certificate has none. */
  readonly subjectAltName: string | undefined;
  /** The certificate as PEM text. */
  readonly pem: string;
}

export interface Exchange {
  request: SentRequest;
  response: ReceivedResponse;
}

export type RequestErrorKind = 'connect' | 'dns' | 'timeout' | 'tls' | 'protocol' | 'policy' | 'body-limit' | 'script' | 'io';

/** A request that could not complete. The message is one line and says why. */
export interface RequestError {
  kind: RequestErrorKind;
  message: string;
}
