import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

/** What a route handler sees: the request already read, so handlers stay pure (apart from their state). */
export interface DemoRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** Names as received, in order, repeats kept: `[name, value, name, value, ...]`. */
  rawHeaders: string[];
  params: Record<string, string>;
  body: Buffer;
  /** Aborted when the client goes away or the server closes; long handlers (delay) listen to it. */
  signal: AbortSignal;
}

/** What a handler answers; the server writes it. A Readable body is streamed (large /bytes). */
export interface DemoResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body?: string | Buffer | Readable;
}

export type RouteHandler = (request: DemoRequest) => DemoResponse | Promise<DemoResponse>;

/**
 * `path` segments are literals or `:name` parameters; a parameter may carry a literal
 * suffix (`:id.xml`) for the StatusNet-style `show/1.xml` URLs. Method `*` matches any.
 */
export interface Route {
  method: string;
  path: string;
  handle: RouteHandler;
}
