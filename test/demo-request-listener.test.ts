import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, expect, test } from 'vitest';
import type { Route } from '../src/demo/demo-route.js';
import { matchRoute } from '../src/demo/match-route.js';
import { createRequestListener } from '../src/demo/request-listener.js';
import { replyJson } from '../src/demo/reply.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

async function serve(routes: Route[]): Promise<string> {
  const started = (server = createServer(createRequestListener(routes, new AbortController().signal)).listen(0, '127.0.0.1'));
  await once(started, 'listening');
  return `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
}

/** undici refuses to send a target like this, so it goes over a raw socket. */
async function rawRequest(base: string, head: string): Promise<string> {
  const socket = connect(Number(new URL(base).port), '127.0.0.1');
  await once(socket, 'connect');
  socket.end(head);
  let text = '';
  for await (const chunk of socket) text += String(chunk);
  return text;
}

test('a handler that throws answers 500 with the reason, and the server keeps serving', async () => {
  const base = await serve([
    { method: 'GET', path: '/boom', handle: () => { throw new Error('kaboom'); } },
    { method: 'GET', path: '/ok', handle: () => replyJson(200, { ok: true }) },
  ]);
  const boom = await request(`${base}/boom`);
  expect(boom.statusCode).toBe(500);
  expect(await boom.body.json()).toEqual({ error: 'Internal error: Error: kaboom' });
  const ok = await request(`${base}/ok`);
  expect(await ok.body.json()).toEqual({ ok: true });
});

test('a request target that is not a URL answers 400', async () => {
  const base = await serve([]);
  const answer = await rawRequest(base, 'GET http://[bad HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  expect(answer).toContain('{"error":"Malformed request target: http://[bad"}');
});

test('matchRoute: literal segments, parameters with suffixes, 405 and 404', () => {
  const handle = () => replyJson(200, {});
  const routes: Route[] = [
    { method: 'GET', path: '/show/:id.xml', handle },
    { method: 'GET', path: '/show/:id', handle },
    { method: 'POST', path: '/items/:id', handle },
    { method: 'DELETE', path: '/items/:id', handle },
  ];
  expect(matchRoute(routes, 'GET', '/show/12.xml')).toMatchObject({ kind: 'found', params: { id: '12' }, route: routes[0] });
  expect(matchRoute(routes, 'GET', '/show/12.json')).toMatchObject({ kind: 'found', params: { id: '12.json' }, route: routes[1] });
  // A suffix alone is not a value.
  expect(matchRoute(routes, 'GET', '/show/.xml')).toMatchObject({ kind: 'found', params: { id: '.xml' }, route: routes[1] });
  expect(matchRoute(routes, 'HEAD', '/show/a%20b')).toMatchObject({ kind: 'found', params: { id: 'a b' } });
  expect(matchRoute(routes, 'PUT', '/items/1')).toEqual({ kind: 'method-not-allowed', allow: ['POST', 'DELETE'] });
  expect(matchRoute(routes, 'GET', '/items/1/extra')).toEqual({ kind: 'not-found' });
  expect(matchRoute(routes, 'GET', '/show/%E0%A4%A')).toMatchObject({ kind: 'found', params: { id: '%E0%A4%A' } });
});
