import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DemoResponse, Route } from './demo-route.js';
import { matchRoute } from './match-route.js';
import { replyJson } from './reply.js';

/** Larger request bodies are refused (413): the demo keeps everything in memory. */
const MAX_REQUEST_BODY = 16 * 1024 * 1024;

/**
 * The node:http side of the demo: reads the body, routes, calls the handler, writes its answer.
 * `closing` aborts slow handlers when the server shuts down.
 */
export function createRequestListener(routes: readonly Route[], closing: AbortSignal): RequestListener {
  return (request, response) => {
    handle(routes, request, response, closing).catch((error: unknown) => {
      // Last resort: a bug in the demo must not take the process (or the user's run) down.
      if (response.headersSent) response.destroy();
      else void writeResponse(response, replyJson(500, { error: `Internal error: ${String(error)}` }));
    });
  };
}

async function handle(
  routes: readonly Route[],
  request: IncomingMessage,
  response: ServerResponse,
  closing: AbortSignal,
): Promise<void> {
  const body = await readBody(request);
  if (body === 'too-large') {
    response.setHeader('connection', 'close');
    writeResponse(response, replyJson(413, { error: `Request body larger than ${MAX_REQUEST_BODY} bytes.` }));
    response.on('finish', () => request.destroy());
    return;
  }
  if (body === 'aborted') return;

  let url: URL;
  try {
    url = new URL(request.url ?? '/', 'http://demo.invalid');
  } catch {
    writeResponse(response, replyJson(400, { error: `Malformed request target: ${request.url}` }));
    return;
  }
  const method = request.method ?? 'GET';
  const match = matchRoute(routes, method, url.pathname);
  if (match.kind === 'not-found') {
    writeResponse(response, replyJson(404, { error: `No route for ${method} ${url.pathname}` }));
    return;
  }
  if (match.kind === 'method-not-allowed') {
    const allow = match.allow.join(', ');
    writeResponse(response, replyJson(405, { error: `${method} not allowed on ${url.pathname}; use ${allow}.` }, { allow }));
    return;
  }

  const gone = new AbortController();
  response.on('close', () => gone.abort());
  const answer = await match.route.handle({
    method,
    url,
    headers: request.headers,
    rawHeaders: request.rawHeaders,
    params: match.params,
    body,
    signal: AbortSignal.any([gone.signal, closing]),
  });
  if (response.destroyed) return;
  await writeResponse(response, answer);
}

/** Reads the whole body; past the limit it keeps draining (so the 413 can be written) but stores nothing. */
async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large' | 'aborted'> {
  if (Number(request.headers['content-length'] ?? 0) > MAX_REQUEST_BODY) return 'too-large';
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= MAX_REQUEST_BODY) chunks.push(chunk);
    }
  } catch {
    return 'aborted';
  }
  return size > MAX_REQUEST_BODY ? 'too-large' : Buffer.concat(chunks);
}

async function writeResponse(response: ServerResponse, answer: DemoResponse): Promise<void> {
  response.writeHead(answer.status, answer.headers);
  if (answer.body instanceof Readable) {
    // A client that hangs up mid-stream is not an error worth reporting.
    await pipeline(answer.body, response).catch(() => undefined);
    return;
  }
  response.end(answer.body);
}
