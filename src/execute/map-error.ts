import { maxHeaderSize } from 'node:http';
import type { RequestError } from './exchange.js';
import { formatDuration } from './format-duration.js';

/** Where the request was when it failed: the same code reads differently before and after the headers. */
export interface FailureContext {
  host: string;
  port: string;
  connectionTimeoutMs: number;
  /** true once the response headers arrived (a reset then happened while reading the body). */
  receivingBody: boolean;
  /** Through a proxy, a refused connection is the proxy's. */
  viaProxy?: boolean;
  /** `HTTP/2 (Prior Knowledge)` over http: a protocol error then most likely means the server speaks no h2c. */
  h2c?: boolean;
  /** While reading the body: raw bytes received, and the Content-Length the server announced (null: none). */
  body?: { received: number; expected: number | null };
}

/** A CA the client does not know: --cacert fixes these. */
const TRUST_HINT = 'trust it with --cacert FILE or skip checks with --insecure';
/** The certificate itself is wrong (dates, name, signature): no CA makes it pass. */
const ONLY_INSECURE_HINT = 'only --insecure (or # @insecure) gets past it';

const tlsProblems: Record<string, { reason: string; hint: string }> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: { reason: 'self-signed certificate', hint: TRUST_HINT },
  SELF_SIGNED_CERT_IN_CHAIN: { reason: 'self-signed certificate in the chain', hint: TRUST_HINT },
  CERT_HAS_EXPIRED: { reason: 'certificate expired', hint: ONLY_INSECURE_HINT },
  CERT_NOT_YET_VALID: { reason: 'certificate not yet valid', hint: ONLY_INSECURE_HINT },
  ERR_TLS_CERT_ALTNAME_INVALID: { reason: 'hostname mismatch', hint: ONLY_INSECURE_HINT },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: { reason: 'unknown certificate authority', hint: TRUST_HINT },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: { reason: 'unknown certificate authority', hint: TRUST_HINT },
  UNABLE_TO_GET_ISSUER_CERT: { reason: 'unknown certificate authority', hint: TRUST_HINT },
  CERT_UNTRUSTED: { reason: 'untrusted certificate', hint: TRUST_HINT },
  CERT_REVOKED: { reason: 'certificate revoked', hint: ONLY_INSECURE_HINT },
  CERT_SIGNATURE_FAILURE: { reason: 'invalid certificate signature', hint: ONLY_INSECURE_HINT },
};

/**
 * TLS alerts the server sends about the client's side of the handshake (OpenSSL's codes), and the
 * ALPN refusal of a server that speaks HTTP/2 only: what the server meant, in words.
 */
const serverAlerts: Record<string, { reason: string; hint?: string }> = {
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: {
    reason: 'the server requires a client certificate',
    hint: "give one in httprun.yaml clientCertificates or the environment's SSLConfiguration",
  },
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: { reason: 'the server rejected the client certificate' },
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: { reason: 'the server rejected the client certificate' },
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: { reason: "the server does not trust the client certificate's CA" },
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: { reason: 'the server says the client certificate expired' },
  ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL: {
    reason: 'no protocol in common (ALPN)',
    hint: 'the server may speak HTTP/2 only: write HTTP/2 on the request line, or use --http2',
  },
  ERR_SSL_WRONG_VERSION_NUMBER: { reason: 'the server did not answer in TLS', hint: 'is it an http:// port?' },
};

/** Turns an undici or Node error into one line that says what went wrong, never a stack. */
export function mapError(cause: unknown, context: FailureContext): RequestError {
  const error = unwrap(cause);
  const code = typeof error.code === 'string' ? error.code : '';
  const where = `${context.host}:${context.port}`;
  switch (code) {
    case 'ECONNREFUSED':
      if (context.viaProxy && error.address !== undefined) return { kind: 'connect', message: `connection refused by the proxy: ${error.address}:${error.port}` };
      return { kind: 'connect', message: `connection refused: ${where}` };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
      return { kind: 'dns', message: `could not resolve host ${context.host}` };
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return { kind: 'timeout', message: `could not connect within ${formatDuration(context.connectionTimeoutMs)}` };
    case 'UND_ERR_SOCKET':
      // undici's "other side closed": an orderly close, most often a body shorter than its Content-Length.
      if (context.receivingBody && context.body !== undefined && context.body.expected !== null && context.body.received < context.body.expected) {
        return {
          kind: 'connect',
          message: `connection closed by the server after ${context.body.received} of the ${context.body.expected} body bytes its Content-Length announced`,
        };
      }
    // falls through
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ERR_HTTP2_STREAM_ERROR':
    case 'ERR_HTTP2_SESSION_ERROR':
    case 'ERR_HTTP2_GOAWAY_SESSION':
      return {
        kind: 'connect',
        message: context.receivingBody
          ? 'connection reset by the server while reading the body'
          : `connection closed by the server before a response (${where})`,
      };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return { kind: 'connect', message: `host unreachable: ${where}` };
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return { kind: 'protocol', message: 'malformed response: body length does not match Content-Length' };
    case 'UND_ERR_HEADERS_OVERFLOW':
      return { kind: 'protocol', message: `malformed response: headers larger than ${maxHeaderSize / 1024} KiB (the HTTP client's limit)` };
    case 'UND_ERR_INVALID_ARG':
    case 'UND_ERR_NOT_SUPPORTED':
      return { kind: 'protocol', message: `invalid request: ${error.message}` };
    case 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH':
      return { kind: 'io', message: 'request body changed size while it was sent' };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { kind: 'timeout', message: `the server stopped responding (${code === 'UND_ERR_BODY_TIMEOUT' ? 'body' : 'headers'})` };
    case 'UND_ERR_PRX_TLS':
      return { kind: 'tls', message: `TLS to the proxy failed: ${error.message}` };
    case 'HTTPRUN_PROXY_CLOSED':
    case 'HTTPRUN_PROXY_INVALID':
      return { kind: 'connect', message: error.message };
    case 'HTTPRUN_CLIENT_CERTIFICATE':
      return { kind: 'tls', message: `TLS: ${error.message}` };
  }
  if (code.startsWith('HPE_') || error.name === 'HTTPParserError' || /does not match the HTTP/.test(error.message)) {
    return { kind: 'protocol', message: `malformed response: ${parserProblem(error)}` };
  }
  const tls = tlsProblems[code];
  if (tls !== undefined) {
    // Node names the certificate's names on a mismatch: the one fact that tells which host was meant.
    const names = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? certificateNames(error.cert) : undefined;
    return { kind: 'tls', message: `TLS: ${tls.reason} (${code}) for ${where}${names ? ` (the certificate is for ${names})` : ''}; ${tls.hint}` };
  }
  const alert = serverAlerts[code];
  if (alert !== undefined) return { kind: 'tls', message: `TLS: ${alert.reason} (${code}) for ${where}${alert.hint ? `; ${alert.hint}` : ''}` };
  if (context.h2c === true && code === 'ERR_HTTP2_ERROR') {
    return {
      kind: 'protocol',
      message: `HTTP/2 (Prior Knowledge): the server at ${where} does not speak HTTP/2 over plain http (h2c); without (Prior Knowledge) the request goes as HTTP/1.1`,
    };
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code.startsWith('ERR_OSSL') || /certificate|ssl|tls|mac verify/i.test(error.message)) {
    return { kind: 'tls', message: `TLS: ${opensslReason(error.message)}${code ? ` (${code})` : ''} for ${where}` };
  }
  // undici's wording for a CONNECT the proxy answered with an error status.
  const tunnel = /Proxy response \((\d+)\) !== 200 when HTTP Tunneling/.exec(error.message);
  if (tunnel) return { kind: 'connect', message: `the proxy refused to connect to ${where}: it answered ${tunnel[1]}` };
  if (/proxy/i.test(error.message)) return { kind: 'connect', message: oneLine(error.message) };
  return { kind: 'connect', message: `${oneLine(error.message)}${code ? ` (${code})` : ''} for ${where}` };
}

/**
 * OpenSSL's reason without its location: `80EC…:error:0A000460:SSL routines:ssl3_read_bytes:tlsv1
 * alert no application protocol:../deps/openssl/…:SSL alert number 120` says "tlsv1 alert no
 * application protocol".
 */
export function opensslReason(message: string): string {
  const reason = /error:[0-9A-F]+:[^:]*:[^:]*:([^:]+)/.exec(message)?.[1];
  return oneLine(reason ?? message);
}

/** `DNS:other.example, IP Address:10.0.0.1` as Node gives it, else the subject's CN. */
function certificateNames(cert: unknown): string | undefined {
  if (cert === null || typeof cert !== 'object') return undefined;
  const { subjectaltname, subject } = cert as { subjectaltname?: unknown; subject?: { CN?: unknown } };
  if (typeof subjectaltname === 'string' && subjectaltname !== '') return subjectaltname;
  return typeof subject?.CN === 'string' ? `CN=${subject.CN}` : undefined;
}

/**
 * llhttp's reason without undici's wrapper ("Response does not match the HTTP/1.1 protocol (...)").
 * When the reply is not HTTP at all, its first bytes usually say what answered (TLS, SSH, SMTP...).
 */
function parserProblem(error: CodedError): string {
  const reason = /\((.*)\)\s*$/s.exec(error.message)?.[1] ?? error.message;
  const text = oneLine(reason.charAt(0).toLowerCase() + reason.slice(1));
  if (/^expected HTTP\//i.test(reason) && typeof error.data === 'string' && error.data !== '') {
    // The ellipsis marks the cut: masking knows a secret may end there (SecretSet.maskText).
    return `the reply is not HTTP; it starts with "${printable(error.data.slice(0, 32))}"${error.data.length > 32 ? '…' : ''}`;
  }
  return text;
}

/** Escapes control and non-ASCII characters (and quotes), so that garbage stays on one readable line. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]|["\\]/g, (char) => {
    const code = char.charCodeAt(0);
    if (char === '"' || char === '\\') return `\\${char}`;
    if (char === '\r') return '\\r';
    if (char === '\n') return '\\n';
    if (char === '\t') return '\\t';
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

interface CodedError {
  data?: unknown;
  /** The peer certificate Node attaches to a hostname mismatch. */
  cert?: unknown;
  code?: unknown;
  name?: string;
  address?: string;
  port?: number;
  message: string;
}

/** Happy-eyeballs failures arrive as an AggregateError; proxies wrap TLS errors in `cause`. */
function unwrap(cause: unknown): CodedError {
  let error = cause as CodedError & { errors?: unknown[]; cause?: unknown };
  if (error === null || typeof error !== 'object') return { message: String(cause) };
  if (Array.isArray(error.errors) && error.errors.length > 0 && !error.code) error = error.errors[0] as typeof error;
  if (error.code === 'UND_ERR_PRX_TLS' && error.cause && typeof error.cause === 'object') return unwrap(error.cause);
  const { name, address, port, data, cert } = error as { name?: string; address?: string; port?: number; data?: unknown; cert?: unknown };
  return { code: error.code, name, address, port, data, cert, message: String(error.message ?? error) };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
