import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { CancelToken } from './cancel-token.js';
import { HopBody } from './hop-body.js';
import { awaitConnection, stopAwaiting, type ConnectionFacts, type HopConnection } from './hop-connection.js';

export interface HopResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  /** Raw (still encoded) body; destroying it aborts the request. */
  body: HopBody;
  /** Raw body bytes received so far: says how far a body got when the connection dropped. */
  progress: { received: number };
  /** The peer of the connection that carried this hop (its address, its TLS certificate); undefined when unknown. */
  connection: ConnectionFacts | undefined;
}

export interface HopRequest {
  url: URL;
  method: string;
  /** A flat [name, value, name, value...] list keeps order and repeats; proxies need an object. */
  headers: string[] | Record<string, string | string[]>;
  body: Buffer | Readable | null;
  expectContinue: boolean;
}

/**
 * One request/response over undici's Dispatcher API with a raw handler: unlike `request()` it
 * gives the status text and the headers in arrival order with their names as received.
 * Resolves when the headers arrive; the body follows in a HopBody (collected, drained or streamed).
 */
export function dispatchOnce(dispatcher: Dispatcher, request: HopRequest, cancel: CancelToken, onHeaders: () => void): Promise<HopResponse> {
  return new Promise((resolve, reject) => {
    let abort: ((reason?: Error) => void) | null = null;
    let body: HopBody | null = null;
    let settled = false;
    let status = 0;
    const path = `${request.url.pathname}${request.url.search}`;
    const connection: HopConnection = { path, facts: undefined };
    const onAbort = (reason: Error) => {
      if (abort !== null) abort(reason);
      body?.destroy(reason);
      if (!settled) {
        settled = true;
        reject(reason);
      }
    };
    if (cancel.reason !== null) return onAbort(cancel.reason);
    cancel.onCancel = onAbort;
    const done = () => {
      if (cancel.onCancel === onAbort) cancel.onCancel = null;
    };

    const handler: Dispatcher.DispatchHandler = {
      onConnect(abortRequest) {
        abort = abortRequest as (reason?: Error) => void;
        awaitConnection(connection);
      },
      onHeaders(statusCode, rawHeaders, resume, statusText) {
        const headers: [string, string][] = new Array(rawHeaders.length >> 1);
        for (let i = 0, j = 0; i + 1 < rawHeaders.length; i += 2, j++) {
          headers[j] = [rawHeaders[i]!.toString('latin1'), rawHeaders[i + 1]!.toString('utf8')];
        }
        body = new HopBody(resume, (error) => {
          done();
          abort?.(error);
        });
        settled = true;
        status = statusCode;
        onHeaders();
        resolve({ status: statusCode, statusText, headers, body, progress: body.progress, connection: connection.facts });
        return true;
      },
      onData(chunk) {
        return body!.push(chunk);
      },
      onComplete() {
        done();
        body!.end();
      },
      onError(error) {
        done();
        stopAwaiting(connection);
        if (!settled) {
          settled = true;
          reject(error);
        } else if (bodiless(status) && (error as { code?: unknown }).code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
          // 204 and 304 have no body whatever Content-Length says (RFC 9110 §8.6 even allows it on a 304);
          // undici counts it as a mismatch. The response is complete and the connection already closed.
          body!.end();
        } else {
          body?.fail(error);
        }
      },
    };
    dispatcher.dispatch(
      {
        origin: request.url.origin,
        path,
        method: request.method,
        headers: request.headers,
        body: request.body,
        expectContinue: request.expectContinue,
        headersTimeout: 0,
        bodyTimeout: 0,
      },
      handler,
    );
  });
}

function bodiless(status: number): boolean {
  return status === 204 || status === 304;
}
