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
