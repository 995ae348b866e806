import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import type { CancelToken } from './cancel-token.js';
import type { HopRequest, HopResponse } from './dispatch-once.js';
import { HopBody } from './hop-body.js';

/**
 * `OPTIONS * HTTP/1.1` (RFC 9112 §3.2.4, the asterisk form: the server itself, no resource). undici
 * writes only `/…` or absolute request targets, so this one request goes out through node:http on a
 * connection of its own, with the same TLS options, the run's cancel token and the same HopResponse.
 */
export function dispatchAsteriskForm(
  request: HopRequest,
  tls: Record<string, unknown>,
  cancel: CancelToken,
  onHeaders: () => void,
): Promise<HopResponse> {
  return new Promise((resolve, reject) => {
    const send = request.url.protocol === 'https:' ? httpsRequest : httpRequest;
    // node:http adds no Host to headers given as a list (undici does): the server needs one.
    const headers = withHost(request.headers, request.url.host);
    const outgoing = send({
      protocol: request.url.protocol,
      hostname: request.url.hostname.replace(/^\[|\]$/g, ''),
      port: request.url.port,
      method: request.method,
      path: '*',
      headers,
      agent: false,
      ...(request.url.protocol === 'https:' ? tls : {}),
    });
    let settled = false;
    let body: HopBody | null = null;
    const fail = (error: Error) => {
      if (cancel.onCancel === fail) cancel.onCancel = null;
      outgoing.destroy(error);
      if (body !== null) body.fail(error);
      else if (!settled) {
        settled = true;
        reject(error);
      }
    };
    if (cancel.reason !== null) return fail(cancel.reason);
    cancel.onCancel = fail;
    outgoing.on('error', fail);
    outgoing.on('response', (response: IncomingMessage) => {
      const headers: [string, string][] = [];
      for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) headers.push([response.rawHeaders[i]!, response.rawHeaders[i + 1]!]);
      const hopBody = new HopBody(() => response.resume(), (error) => outgoing.destroy(error));
      body = hopBody;
      response.on('data', (chunk: Buffer) => {
        if (!hopBody.push(chunk)) response.pause();
      });
      response.on('end', () => {
        if (cancel.onCancel === fail) cancel.onCancel = null;
        hopBody.end();
      });
      response.on('error', fail);
      settled = true;
      onHeaders();
      resolve({
        status: response.statusCode ?? 0,
        statusText: response.statusMessage ?? '',
        headers,
        body: hopBody,
        progress: hopBody.progress,
        connection: { ip: response.socket.remoteAddress, certificate: undefined },
      });
    });
    if (request.body === null) outgoing.end();
    else if (Buffer.isBuffer(request.body)) outgoing.end(request.body);
    else (request.body as Readable).pipe(outgoing);
  });
}

function withHost(headers: HopRequest['headers'], host: string): string[] | Record<string, string | string[]> {
  if (!Array.isArray(headers)) return headers;
  for (let i = 0; i < headers.length; i += 2) if (headers[i]!.toLowerCase() === 'host') return headers;
  return ['Host', host, ...headers];
}
