import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Route } from './demo-route.js';
import { createMicroblogRoutes } from './microblog-routes.js';
import { createPixelaRoutes } from './pixela-routes.js';
import { createPostsRoutes } from './posts-routes.js';
import { createRequestListener } from './request-listener.js';
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

  const server = createServer(createRequestListener(routes, closing.signal));

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
