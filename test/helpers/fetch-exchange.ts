import { once } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { Exchange } from '../../src/execute/exchange.js';

export interface FetchOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Follow 3xx Location headers (on the same server), recording each hop as the executor does. */
  followRedirects?: boolean;
}

/**
 * Start a node:http server on 127.0.0.1 with `handler`, send one real request with undici, close
 * the server, and return what happened as an Exchange — the shape the executor hands to assertions.
 */
export async function fetchExchange(handler: RequestListener, options: FetchOptions = {}): Promise<Exchange> {
  const server = createServer(handler).listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${options.path ?? '/'}`;
    const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
    const requestHeaders = Object.entries(options.headers ?? {});
    const started = performance.now();
    const redirects: string[] = [];
    let finalUrl = url;
    let response = await request(url, { method: method as 'GET', headers: options.headers, body: options.body });
    while (options.followRedirects && response.statusCode >= 300 && response.statusCode < 400 && typeof response.headers.location === 'string') {
      await response.body.dump();
      redirects.push(finalUrl);
      finalUrl = new URL(response.headers.location, finalUrl).toString();
      response = await request(finalUrl);
    }
    const body = Buffer.from(await response.body.arrayBuffer());
    const durationMs = performance.now() - started;
    const headers: [string, string][] = [];
    for (const [name, value] of Object.entries(response.headers)) {
      for (const item of Array.isArray(value) ? value : [value ?? '']) headers.push([name, item]);
    }
    return {
      request: {
        method,
        url,
        headers: requestHeaders,
        body: options.body === undefined ? null : Buffer.from(options.body),
      },
      response: {
        status: response.statusCode,
        statusText: '',
        httpVersion: 'HTTP/1.1',
        headers,
        body,
        url: finalUrl,
        redirects,
        durationMs,
      },
    };
  } finally {
    server.close();
    server.closeAllConnections();
  }
}

/** A handler answering with a fixed status, headers and body. */
export function answer(status: number, headers: Record<string, string | string[]>, body: string | Buffer = ''): RequestListener {
  return (_request, response) => {
    response.writeHead(status, headers);
    response.end(body);
  };
}
