import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DemoResponse, Route } from './demo-route.js';
import { matchRoute } from './match-route.js';
import { createMicroblogRoutes } from './microblog-routes.js';
import { createPixelaRoutes } from './pixela-routes.js';
import { createPostsRoutes } from './posts-routes.js';
import { replyJson } from './reply.js';
import { createUtilityRoutes } from './utility-routes.js';

export interface DemoServer {
  /** `http://127.0.0.1:PORT`, no trailing slash: pass it as `--var baseUrl=...`. */
  url: string;
  close(): Promise<void>;
}

/**
 * The `<<SECRET>>` values `httprun demo` puts in the environment for `requests/`. They are
 * distinctive on purpose: a test can search any output for them to prove masking.
 */
export const demoSecrets: Readonly<Record<string, string>> = Object.freeze({
  PIXELA_TOKEN: 'pixela-demo-token-7c1f9e',
  MICROBLOG_PASSWORD: 'microblog-demo-pass-4b2d8a',
  POSTS_TOKEN: 'posts-demo-bearer-93e6a0',
});

/** The microblog account `requests/microblog.http` logs in as (with MICROBLOG_PASSWORD). */
export const demoMicroblogUser = 'demo';

/** Larger request bodies are refused (413): the demo keeps everything in memory. */
const MAX_REQUEST_BODY = 16 * 1024 * 1024;

/** Starts the demo API with fresh in-memory state. Rejects when the port cannot be bound. */
export async function startDemoServer(options: { port?: number; host?: string } = {}): Promise<DemoServer> {
  const host = options.host ?? '127.0.0.1';
  const routes: Route[] = [
    ...createUtilityRoutes(),
    ...createPixelaRoutes(),
    ...createMicroblogRoutes({ screenName: demoMicroblogUser, password: demoSecrets['MICROBLOG_PASSWORD']! }),
    ...createPostsRoutes(demoSecrets['POSTS_TOKEN']!),
  ];
  // A newcomer who opens the URL in a browser sees what there is to call.
  const index = { name: 'httprun demo API', routes: routes.map((route) => `${route.method} ${route.path}`) };
  routes.unshift({ method: 'GET', path: '/', handle: () => replyJson(200, index) });
  const closing = new AbortController();

  const server = createServer((request, response) => {
    handle(routes, request, response, closing.signal).catch((error: unknown) => {
      // Last resort: a bug in the demo must not take the process (or the user's run) down.
      if (!response.headersSent) writeResponse(response, replyJson(500, { error: `Internal error: ${String(error)}` }));
      else response.destroy();
    });
  });

  server.listen(options.port ?? 0, host);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => Promise.reject(error as Error)),
  ]);
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
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
