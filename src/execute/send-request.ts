import { createReadStream } from 'node:fs';
import type { Cookie } from 'tough-cookie';
import { stat } from 'node:fs/promises';
import { parseAuthShortcut } from './auth-shortcut.js';
import { answerDigest, parseDigestChallenge } from './digest-auth.js';
import { acceptEncoding } from './decode-body.js';
import { dispatchAsteriskForm } from './dispatch-asterisk.js';
import { dispatchOnce, type HopRequest, type HopResponse } from './dispatch-once.js';
import type { Exchange, PeerCertificate, RequestError } from './exchange.js';
import { formatDuration } from './format-duration.js';
import type { HopBody } from './hop-body.js';
import type { DispatchTarget, HttpClient } from './http-client.js';
import { mapError } from './map-error.js';
import { normaliseUrl } from './normalise-url.js';
import type { PreparedRequest, SendOptions } from './prepared-request.js';
import { Cancelled, CancelToken, Timeout } from './cancel-token.js';
import { BodyLimitError, DecodeError, readBody, SaveError, type BodyOutcome } from './read-body.js';
import { findScopeViolation } from './secret-scope.js';
import { secretForms } from '../run/secret-set.js';

export interface SendSuccess {
  exchange: Exchange;
  /** Things the file asked for that were not sent as written (one line each). */
  warnings: string[];
  /** Forms of credentials computed here (Basic base64) that the caller must mask too. */
  derivedSecrets: string[];
  /** Where `>> file` actually saved the body (a `-n` suffix when the file existed). */
  savedTo?: string;
}

export interface SendFailure {
  error: RequestError;
  /** Present when a response arrived before the failure (body-limit, invalid gzip, reset mid-body). */
  exchange?: Exchange;
  warnings: string[];
  derivedSecrets: string[];
}

export type SendResult = SendSuccess | SendFailure;

/** Headers an HTTP/1.1 client manages itself; a file that writes them gets a warning instead. */
const managedHeaders = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te']);
/** Headers that describe a body: gone when a redirect turns the request into a GET. */
const bodyHeaders = new Set(['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']);
/** Never forwarded to another origin (the cookie jar decides cookies per origin on its own). */
const credentialHeaders = new Set(['authorization', 'cookie', 'proxy-authorization', 'host']);
const redirectStatuses = new Set([301, 302, 303, 307, 308]);


/**
 * Sends one request as the file wrote it and follows it through redirects and a Digest challenge.
 * Never throws for I/O problems: every failure is a `RequestError` with a one-line message.
 */
export function sendRequest(request: PreparedRequest, options: SendOptions, client: HttpClient): Promise<SendResult> {
  try {
    return startExchange(request, options, client);
  } catch (error) {
    // As from an async function: a bug is a rejection, never a throw at the call.
    return Promise.reject(error as Error);
  }
}

function startExchange(request: PreparedRequest, options: SendOptions, client: HttpClient): Promise<SendResult> {
  const started = performance.now();
  const normalised = normaliseUrl(request.url);
  if ('error' in normalised) return Promise.resolve({ error: { kind: 'protocol', message: normalised.error }, warnings: [], derivedSecrets: [] });
  // CONNECT opens a tunnel rather than exchanging a request and a response; undici refuses it here.
  if (request.method.toUpperCase() === 'CONNECT') {
    return Promise.resolve({ error: { kind: 'protocol', message: 'CONNECT requests (tunnels) are not supported by httprun' }, warnings: [], derivedSecrets: [] });
  }

  const cancel = new CancelToken(options.timeoutMs, options.signal);
  let exchanged: Promise<SendResult>;
  try {
    exchanged = exchangeHops(new Hops(request, normalised.url, options, client, cancel, started));
  } catch (error) {
    cancel.finish();
    throw error;
  }
  return exchanged.then(
    (result) => {
      cancel.finish();
      return result;
    },
    (error: unknown) => {
      cancel.finish();
      throw error;
    },
  );
}

interface Credentials {
  username: string;
  password: string;
}

/**
 * One exchange, hop by hop: what the file wrote, and what redirects and a Digest challenge change.
 * The work between waits is in its plain methods; the functions below it chain them on what they
 * wait for (see exchangeHops for why).
 */
class Hops {
  /** Things the file asked for that were not sent as written (one line each). */
  readonly warnings: string[] = [];
  /** Forms of credentials computed here (Basic base64) that the caller must mask too. */
  readonly derivedSecrets: string[] = [];
  /** What the file wrote, minus what the client manages, with auth shortcuts expanded. */
  headers: [string, string][] = [];
  digest: Credentials | null = null;
  digestAnswered = false;
  expectContinue = false;
  hostWritten = false;
  writtenCookie = false;
  method: string;
  body: PreparedRequest['body'];
  bodySize = 0;
  url: URL;
  readonly redirects: string[] = [];
  receivingBody = false;
  readonly priorKnowledge: boolean;
  readonly wantsHttp2: boolean;

  constructor(
    readonly request: PreparedRequest,
    firstUrl: URL,
    readonly options: SendOptions,
    readonly client: HttpClient,
    readonly cancel: CancelToken,
    readonly started: number,
  ) {
    this.method = request.method;
    this.body = request.body;
    this.url = firstUrl;
    const version = request.httpVersion?.toUpperCase();
    // `HTTP/2 (Prior Knowledge)`: HTTP/2 from the first byte, also without TLS (h2c), as JetBrains sends it.
    this.priorKnowledge = version === 'HTTP/2 (PRIOR KNOWLEDGE)';
    this.wantsHttp2 = version === 'HTTP/2' || this.priorKnowledge;
  }

  fail(error: RequestError, exchange?: Exchange): SendFailure {
    const { warnings, derivedSecrets } = this;
    return exchange === undefined ? { error, warnings, derivedSecrets } : { error, exchange, warnings, derivedSecrets };
  }

  /** Takes the written headers; returns the Content-Length the file wrote, if any. */
  takeWrittenHeaders(): string | null {
    const { headers, warnings } = this;
    let writtenLength: string | null = null;
    const written = this.request.headers;
    for (let i = 0; i < written.length; i++) {
      const name = written[i]![0];
      const value = written[i]![1];
      const lower = name.toLowerCase();
      if (managedHeaders.has(lower)) {
        warnings.push(`header ${name} dropped: the HTTP client manages it`);
      } else if (lower === 'expect') {
        if (/^\s*100-continue\s*$/i.test(value)) this.expectContinue = true;
        else warnings.push(`header Expect: ${value} dropped: only 100-continue is supported`);
      } else if (lower === 'content-length') {
        writtenLength = value.trim();
      } else if (lower === 'host' && this.hostWritten) {
        warnings.push(`header Host written twice: the second one (${value}) was dropped`);
      } else if (lower === 'authorization') {
        const shortcut = parseAuthShortcut(value);
        if (shortcut.kind === 'basic') {
          headers.push([name, shortcut.header]);
          this.derivedSecrets.push(shortcut.encoded);
        } else if (shortcut.kind === 'digest') {
          this.digest = { username: shortcut.username, password: shortcut.password };
        } else {
          headers.push([name, value]);
        }
      } else {
        if (lower === 'host') this.hostWritten = true;
        headers.push([name, value]);
      }
    }
    this.writtenCookie = valuesOf(headers, 'cookie').length > 0;
    return writtenLength;
  }

  /** After the body's size is known: a written Content-Length that differs, and secrets sent out of scope. */
  checkBeforeSending(writtenLength: string | null): SendFailure | null {
    const { bodySize, body } = this;
    if (writtenLength !== null && writtenLength !== String(bodySize)) {
      this.warnings.push(`header Content-Length: ${writtenLength} does not match the body (${bodySize} bytes): sent ${bodySize}`);
    }
    if (this.options.secrets.length === 0) return null;
    // Secrets the file wrote in a header before an auth shortcut encoded them count as carried too.
    const violation = findScopeViolation(this.options.secrets, {
      url: this.url,
      headers: this.request.headers,
      body: Buffer.isBuffer(body) ? body : null,
    });
    return violation === null ? null : this.fail({ kind: 'policy', message: violation });
  }

  /** This hop's target, or the reason it cannot go. */
  target(): DispatchTarget | SendFailure {
    const { url, body, options } = this;
    if (options.secrets.length > 0) {
      const violation = findScopeViolation(options.secrets, { url, headers: this.headers, body: Buffer.isBuffer(body) ? body : null });
      if (violation !== null) return this.fail({ kind: 'policy', message: violation });
    }
    return this.client.dispatcherFor(url, {
      http2: this.wantsHttp2,
      h2c: this.priorKnowledge,
      insecure: options.insecure === true,
      connectionTimeoutMs: options.connectionTimeoutMs,
    });
  }

  /** The headers this hop sends, or the reason it cannot go. */
  outgoing(target: DispatchTarget, jarCookies: readonly Cookie[]): { sent: [string, string][]; asterisk: boolean } | SendFailure {
    const { body } = this;
    const sent = outgoingHeaders(this.headers, jarCookies, this.options, this.writtenCookie, body !== null ? this.bodySize : null, !Buffer.isBuffer(body) && body !== null);
    if (target.viaProxy && sent.some(([name]) => name.toLowerCase() === 'proxy-authorization')) {
      this.warnings.push('header Proxy-Authorization dropped: credentials for the proxy belong in its URL');
    }
    // `OPTIONS *` names the server, not a resource: its first hop only (a redirect names a resource).
    const asterisk = this.request.asteriskForm === true && this.redirects.length === 0;
    if (asterisk && (target.viaProxy || target.tlsFor === undefined)) {
      return this.fail({ kind: 'protocol', message: 'an OPTIONS * request (asterisk form) cannot be sent through a proxy or over HTTP/2 here' });
    }
    return { sent, asterisk };
  }

  /** What goes over the wire on this hop (a file body opens its stream here). */
  hopRequest(target: DispatchTarget, sent: readonly [string, string][]): HopRequest {
    const { body } = this;
    return {
      url: this.url,
      method: this.method,
      headers: target.viaProxy ? asObject(sent) : flatten(sent),
      body: body === null ? null : Buffer.isBuffer(body) ? body : createReadStream(body.path),
      expectContinue: this.expectContinue,
    };
  }

  /** A failure to get a hop's response (connect, TLS, timeout ...). */
  hopFailed(error: unknown, target: DispatchTarget): SendFailure {
    const { url } = this;
    return this.fail(
      explain(error, this.cancel, url, this.options, false, target.viaProxy, undefined, this.priorKnowledge && url.protocol === 'http:' && !target.viaProxy),
    );
  }

  /** Whether this response asks for another hop: a Digest challenge to answer, or a redirect to follow. */
  followsUp(hop: HopResponse): boolean {
    if (hop.status === 401 && this.digest !== null && !this.digestAnswered && parseDigestChallenge(valuesOf(hop.headers, 'www-authenticate')) !== null) return true;
    return this.options.followRedirects && redirectStatuses.has(hop.status) && valuesOf(hop.headers, 'location')[0] !== undefined;
  }

  /** The final hop's exchange, with the body as read (null when not read or not whole). */
  exchange(hop: HopResponse, sent: readonly [string, string][], httpVersion: string, responseBody: Buffer | null): Exchange {
    const { url, body } = this;
    return {
      request: {
        method: this.method,
        url: url.href,
        headers: recordedHeaders(sent, url, this.hostWritten, body !== null ? this.bodySize : null),
        body: Buffer.isBuffer(body) ? body : null,
      },
      response: {
        status: hop.status,
        statusText: hop.statusText,
        httpVersion,
        headers: hop.headers,
        body: responseBody,
        url: url.href,
        redirects: this.redirects,
        durationMs: performance.now() - this.started,
        ...connectionFields(hop),
      },
    };
  }
}

// The common path of an exchange (one hop, its body read) is plain functions chained on the promises
// they wait for, not async functions: V8 counts an async function's every suspension against the
// budget that sends a function to the optimising compiler, so exchangeHops, sendRequest and finalHop,
// once per request each, were compiled by TurboFan around the 400th to 700th request of a run and
// paid back little of it (valgrind: 4 % of W3's instructions when they are never optimised). Plain
// functions this size, run once per request, stay in baseline code for a thousand requests.

function exchangeHops(hops: Hops): Promise<SendResult> {
  const writtenLength = hops.takeWrittenHeaders();
  const body = hops.body;
  if (body !== null && !Buffer.isBuffer(body)) return sizeFileBody(hops, body.path).then((failure) => failure ?? firstHop(hops, writtenLength));
  if (body !== null) hops.bodySize = body.length;
  return firstHop(hops, writtenLength);
}

/** A file body's size, for Content-Length (or why the file cannot be read). */
async function sizeFileBody(hops: Hops, path: string): Promise<SendFailure | null> {
  try {
    hops.bodySize = (await stat(path)).size;
    return null;
  } catch (error) {
    return hops.fail({ kind: 'io', message: `cannot read the body file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
  }
}

function firstHop(hops: Hops, writtenLength: string | null): Promise<SendResult> {
  const problem = hops.checkBeforeSending(writtenLength);
  return problem !== null ? Promise.resolve(problem) : nextHop(hops);
}

function nextHop(hops: Hops): Promise<SendResult> {
  const target = hops.target();
  if (!('dispatcher' in target)) return Promise.resolve(target);
  // An empty jar (most runs) answers without a round through the event loop.
  const jar = hops.options.cookieJar;
  if (jar === null || jar.isEmpty?.() === true) return sendHop(hops, target, NO_COOKIES);
  return jar.getCookies(hops.url.href).then((cookies) => sendHop(hops, target, cookies));
}

function sendHop(hops: Hops, target: DispatchTarget, jarCookies: readonly Cookie[]): Promise<SendResult> {
  const outgoing = hops.outgoing(target, jarCookies);
  if ('error' in outgoing) return Promise.resolve(outgoing);
  let dispatched: Promise<HopResponse>;
  try {
    const hopRequest = hops.hopRequest(target, outgoing.sent);
    dispatched = outgoing.asterisk
      ? dispatchAsteriskForm(hopRequest, target.tlsFor!(hops.url), hops.cancel, () => (hops.receivingBody = true))
      : dispatchOnce(target.dispatcher, hopRequest, hops.cancel, () => (hops.receivingBody = true));
  } catch (error) {
    return Promise.resolve(hops.hopFailed(error, target));
  }
  return dispatched.then(
    (hop) => afterHop(hops, hop, outgoing.sent, target),
    (error: unknown) => hops.hopFailed(error, target),
  );
}

function afterHop(hops: Hops, hop: HopResponse, sent: [string, string][], target: DispatchTarget): Promise<SendResult> {
  hops.receivingBody = true;
  const jar = hops.options.cookieJar;
  if (jar !== null) {
    const setCookies = valuesOf(hop.headers, 'set-cookie');
    if (setCookies.length > 0) return storeCookies(jar, setCookies, hops.url).then(() => followOrFinish(hops, hop, sent, target));
  }
  return followOrFinish(hops, hop, sent, target);
}

function followOrFinish(hops: Hops, hop: HopResponse, sent: [string, string][], target: DispatchTarget): Promise<SendResult> {
  if (hops.followsUp(hop)) return followUp(hops, hop).then((failure) => failure ?? nextHop(hops));
  return finalHop(hops, hop, sent, target);
}

/** Answers a Digest challenge or follows a redirect: the next hop is set up, or the reason there is none. */
async function followUp(hops: Hops, hop: HopResponse): Promise<SendFailure | null> {
  const { options, cancel } = hops;
  const url = hops.url;
  if (hop.status === 401 && hops.digest !== null && !hops.digestAnswered) {
    const challenge = parseDigestChallenge(valuesOf(hop.headers, 'www-authenticate'));
    if (challenge !== null) {
      const drained = await drain(hop.body);
      if (drained !== null) return hops.fail(explain(drained, cancel, url, options, true));
      hops.headers = hops.headers.filter(([name]) => name.toLowerCase() !== 'authorization');
      hops.headers.push([
        'Authorization',
        answerDigest(challenge, {
          username: hops.digest.username,
          password: hops.digest.password,
          method: hops.method,
          uri: `${url.pathname}${url.search}`,
          body: Buffer.isBuffer(hops.body) ? hops.body : null,
        }),
      ]);
      hops.digestAnswered = true;
      return null;
    }
  }

  const location = valuesOf(hop.headers, 'location')[0]!;
  const drained = await drain(hop.body);
  if (drained !== null) return hops.fail(explain(drained, cancel, url, options, true));
  let next: URL;
  try {
    next = new URL(location, url);
    next.hash = '';
  } catch {
    return hops.fail({ kind: 'protocol', message: `invalid redirect Location: ${location}` });
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    return hops.fail({ kind: 'protocol', message: `redirect to an unsupported URL: ${location}` });
  }
  const redirects = hops.redirects;
  if (redirects.length >= options.maxRedirects) {
    return hops.fail({
      kind: 'protocol',
      message: `too many redirects (${redirects.length + 1}): the limit is ${options.maxRedirects} (--max-redirects); last Location: ${next.href}`,
    });
  }
  redirects.push(url.href);
  const method = hops.method;
  if ((hop.status === 303 || hop.status === 301 || hop.status === 302) && method.toUpperCase() !== 'HEAD') {
    if (method.toUpperCase() !== 'GET' || hops.body !== null) {
      hops.method = 'GET';
      hops.body = null;
      hops.bodySize = 0;
      hops.headers = hops.headers.filter(([name]) => !bodyHeaders.has(name.toLowerCase()));
    }
  }
  // A Digest answer is bound to one URI: recompute it on the next hop if asked again.
  if (hops.digestAnswered) hops.headers = hops.headers.filter(([name]) => name.toLowerCase() !== 'authorization');
  hops.digestAnswered = false;
  if (next.origin !== url.origin) {
    const secretValues = [...options.secrets.map((secret) => secret.value), ...hops.derivedSecrets].filter((value) => value !== '');
    hops.headers = hops.headers.filter(
      ([name, value]) =>
        !credentialHeaders.has(name.toLowerCase()) && !secretValues.some((secret) => secretForms(secret).some((form) => value.includes(form))),
    );
    hops.digest = null;
  }
  hops.url = next;
  hops.receivingBody = false;
  return null;
}

/** The response that ends the exchange: its body read, drained or saved as asked. */
function finalHop(hops: Hops, hop: HopResponse, sent: readonly [string, string][], target: DispatchTarget): Promise<SendResult> {
  const { options, warnings } = hops;
  const httpVersion = target.protocolOf(hops.url) ?? guessVersion(hop, hops.url, hops.wantsHttp2);
  if (hops.expectContinue && httpVersion === 'HTTP/1.1') {
    warnings.push('header Expect: 100-continue dropped: undici sends HTTP/1.1 bodies without waiting for 100 Continue');
  }
  const codings = valuesOf(hop.headers, 'content-encoding');
  if (options.readBody && options.maxBodyBytes > 0) {
    const length = Number(valuesOf(hop.headers, 'content-length')[0]);
    const encoded = codings.some((value) => value.trim().toLowerCase() !== 'identity');
    if (!encoded && Number.isFinite(length) && length > options.maxBodyBytes) {
      hop.body.destroy();
      return Promise.resolve(
        hops.fail({ kind: 'body-limit', message: new BodyLimitError(options.maxBodyBytes).message }, hops.exchange(hop, sent, httpVersion, null)),
      );
    }
  }
  let reading: Promise<BodyOutcome>;
  try {
    const contentEncoding = codings.length === 0 ? undefined : codings.join(', ') || undefined;
    reading = readBody(hop.body, contentEncoding, options);
  } catch (error) {
    return Promise.resolve(bodyFailed(hops, hop, sent, httpVersion, error));
  }
  return reading.then(
    (outcome) => bodyRead(hops, hop, sent, httpVersion, outcome),
    (error: unknown) => bodyFailed(hops, hop, sent, httpVersion, error),
  );
}

function bodyRead(hops: Hops, hop: HopResponse, sent: readonly [string, string][], httpVersion: string, outcome: BodyOutcome): SendSuccess {
  const { warnings, derivedSecrets } = hops;
  warnings.push(...outcome.warnings);
  const done = hops.exchange(hop, sent, httpVersion, outcome.body);
  if (outcome.truncated === true) done.response.bodyTruncated = true;
  return outcome.savedTo === undefined ? { exchange: done, warnings, derivedSecrets } : { exchange: done, warnings, derivedSecrets, savedTo: outcome.savedTo };
}

function bodyFailed(hops: Hops, hop: HopResponse, sent: readonly [string, string][], httpVersion: string, error: unknown): SendFailure {
  const exchange = hops.exchange(hop, sent, httpVersion, null);
  if (error instanceof BodyLimitError) return hops.fail({ kind: 'body-limit', message: error.message }, exchange);
  if (error instanceof DecodeError) return hops.fail({ kind: 'protocol', message: error.message }, exchange);
  if (error instanceof SaveError) return hops.fail({ kind: 'io', message: error.message }, exchange);
  const announced = Number(valuesOf(hop.headers, 'content-length')[0] ?? Number.NaN);
  const body = { received: hop.progress.received, expected: Number.isSafeInteger(announced) ? announced : null };
  return hops.fail(explain(error, hops.cancel, hops.url, hops.options, hops.receivingBody, false, body), exchange);
}

function explain(
  error: unknown,
  cancel: CancelToken,
  url: URL,
  options: SendOptions,
  receivingBody: boolean,
  viaProxy = false,
  body?: { received: number; expected: number | null },
  h2c = false,
): RequestError {
  if (cancel.reason instanceof Timeout) return { kind: 'timeout', message: `timed out after ${formatDuration(options.timeoutMs)}` };
  if (cancel.reason instanceof Cancelled) return { kind: 'io', message: 'cancelled' };
  return mapError(error, {
    host: url.hostname,
    port: url.port || (url.protocol === 'https:' ? '443' : '80'),
    connectionTimeoutMs: options.connectionTimeoutMs,
    receivingBody,
    viaProxy,
    ...(body !== undefined ? { body } : {}),
    ...(h2c ? { h2c } : {}),
  });
}

/** The written headers plus what a careful client adds when the file said nothing: cookies, Accept, User-Agent, Accept-Encoding. */
function outgoingHeaders(
  headers: readonly [string, string][],
  jarCookies: readonly Cookie[],
  options: SendOptions,
  writtenCookie: boolean,
  bodySize: number | null,
  streamedBody: boolean,
): [string, string][] {
  const sent = headers.slice();
  if (jarCookies.length > 0) {
    const index = sent.findIndex(([name]) => name.toLowerCase() === 'cookie');
    if (index >= 0 && writtenCookie) {
      // The file's Cookie header wins per name; the jar adds the cookies the file did not name.
      const [name, value] = sent[index]!;
      const written = new Set(value.split(';').map((pair) => pair.split('=')[0]!.trim()));
      const extra = jarCookies.filter((cookie) => !written.has(cookie.key)).map((cookie) => cookie.cookieString());
      if (extra.length > 0) sent[index] = [name, [value.replace(/;\s*$/, ''), ...extra].join('; ')];
    } else if (index < 0) {
      sent.push(['Cookie', jarCookies.map((cookie) => cookie.cookieString()).join('; ')]);
    }
  }
  let accept = false;
  let userAgent = false;
  let acceptEncodingWritten = false;
  for (let i = 0; i < sent.length; i++) {
    const lower = sent[i]![0].toLowerCase();
    if (lower === 'accept') accept = true;
    else if (lower === 'user-agent') userAgent = true;
    else if (lower === 'accept-encoding') acceptEncodingWritten = true;
  }
  if (!accept) sent.push(['Accept', '*/*']);
  if (!userAgent) sent.push(['User-Agent', options.userAgent]);
  if (!acceptEncodingWritten) sent.push(['Accept-Encoding', acceptEncoding]);
  // undici only knows a stream's length when told; a Buffer's it computes itself.
  if (streamedBody && bodySize !== null) sent.push(['Content-Length', String(bodySize)]);
  return sent;
}

/** What the exchange records as sent: undici adds Host and Content-Length itself, so they are added here for the record. */
function recordedHeaders(sent: readonly [string, string][], url: URL, hostWritten: boolean, bodySize: number | null): [string, string][] {
  const recorded: [string, string][] = hostWritten ? [] : [['Host', url.host]];
  for (let i = 0; i < sent.length; i++) recorded.push(sent[i]!);
  if (bodySize !== null && valuesOf(sent, 'content-length').length === 0) recorded.push(['Content-Length', String(bodySize)]);
  return recorded;
}

function flatten(headers: readonly [string, string][]): string[] {
  const flat: string[] = [];
  for (let i = 0; i < headers.length; i++) flat.push(headers[i]![0], headers[i]![1]);
  return flat;
}

/** ProxyAgent reads headers as an object; repeated names become arrays so that none is lost. */
function asObject(headers: readonly [string, string][]): Record<string, string[]> {
  const object: Record<string, string[]> = {};
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === 'proxy-authorization') continue;
    (object[lower] ??= []).push(value);
  }
  return object;
}

// Indexed loops over header pairs here and in the helpers above, not `for (const [name, value] of ...)`:
// destructuring a pair runs the iterator protocol, which made valuesOf 338 bytes of bytecode (about 60
// now) and a quarter of finalHop's graph for the optimising compiler, and allocates in unoptimised code.
function valuesOf(headers: readonly [string, string][], name: string): string[] {
  let values: string[] | null = null;
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i]![0];
    if (header.length === name.length && header.toLowerCase() === name) (values ??= []).push(headers[i]![1]);
  }
  return values ?? NO_VALUES;
}

const NO_VALUES: string[] = [];
const NO_COOKIES: Cookie[] = [];

async function storeCookies(jar: NonNullable<SendOptions['cookieJar']>, setCookies: readonly string[], url: URL): Promise<void> {
  for (const value of setCookies) {
    await jar.setCookie(value, url.href, { ignoreError: true });
  }
}

/** Reads a body nobody needs so the connection can be reused; returns the error if reading failed. */
async function drain(body: HopBody): Promise<unknown> {
  try {
    await body.drain();
    return null;
  } catch (error) {
    return error;
  }
}

/** The final hop's peer, as optional fields (left out when unknown, so a recorded exchange stays as before). */
function connectionFields(hop: HopResponse): { ip?: string; certificate?: PeerCertificate } {
  const facts = hop.connection;
  if (facts === undefined) return NO_FIELDS;
  if (facts.certificate === undefined) return facts.ip === undefined ? NO_FIELDS : { ip: facts.ip };
  return facts.ip === undefined ? { certificate: facts.certificate } : { ip: facts.ip, certificate: facts.certificate };
}

const NO_FIELDS = {};

/** Through a proxy the negotiated protocol is not visible; h2 responses carry no reason phrase. */
function guessVersion(hop: HopResponse, url: URL, wantsHttp2: boolean): string {
  return (wantsHttp2 || url.protocol === 'https:') && hop.statusText === '' && hop.headers.every(([name]) => name === name.toLowerCase())
    ? 'HTTP/2'
    : 'HTTP/1.1';
}
