import { createHash } from 'node:crypto';
import { gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { request } from 'undici';
import xpath from 'xpath';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { demoMicroblogUser, demoSecrets, startDemoServer, type DemoServer } from '../src/demo/server.js';

let server: DemoServer;
beforeEach(async () => {
  server = await startDemoServer();
});
afterEach(() => server.close());

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
  text: string;
  json: any;
}

async function call(
  method: string,
  path: string,
  options: { headers?: Record<string, string | string[]>; body?: string | Buffer; json?: unknown } = {},
): Promise<Answer> {
  const headers = { ...options.headers };
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await request(`${server.url}${path}`, { method: method as 'GET', headers, body });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, bytes, text, json };
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function xpathText(xml: string, expression: string): string[] {
  const document = new DOMParser().parseFromString(xml, 'text/xml');
  return (xpath.select(expression, document as unknown as Node) as Node[]).map((node) => node.textContent ?? '');
}

describe('server lifecycle', () => {
  test('listens on 127.0.0.1 on a free port and reports its URL', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const other = await startDemoServer();
    expect(other.url).not.toBe(server.url);
    await other.close();
  });

  test('each server has its own state', async () => {
    await call('POST', '/api/posts', { headers: { authorization: `Bearer ${demoSecrets['POSTS_TOKEN']}` }, json: { title: 'a' } });
    const other = await startDemoServer();
    const response = await request(`${other.url}/api/posts`, {
      headers: { authorization: `Bearer ${demoSecrets['POSTS_TOKEN']}` },
    });
    expect(await response.body.json()).toEqual({ posts: [] });
    await other.close();
  });

  test('close() ends pending slow answers instead of waiting for them, and can be called twice', async () => {
    const pending = call('GET', '/delay/30000').catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await server.close();
    await server.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await pending).toBeInstanceOf(Error);
  });

  test('a port already in use rejects', async () => {
    const port = Number(new URL(server.url).port);
    await expect(startDemoServer({ port })).rejects.toThrow(/EADDRINUSE/);
  });

  test('secrets are distinct non-empty strings, frozen', () => {
    expect(Object.keys(demoSecrets).sort()).toEqual(['MICROBLOG_PASSWORD', 'PIXELA_TOKEN', 'POSTS_TOKEN']);
    expect(new Set(Object.values(demoSecrets)).size).toBe(3);
    expect(Object.isFrozen(demoSecrets)).toBe(true);
  });
});

describe('generic behaviour', () => {
  test('unknown route is a JSON 404', async () => {
    const answer = await call('GET', '/nope');
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.json).toEqual({ error: 'No route for GET /nope' });
  });

  test('a known path with another method is a 405 with Allow', async () => {
    const answer = await call('DELETE', '/health');
    expect(answer.status).toBe(405);
    expect(answer.headers['allow']).toBe('GET');
    expect(answer.json).toEqual({ error: 'DELETE not allowed on /health; use GET.' });
  });

  test('HEAD is answered like GET, without a body', async () => {
    const answer = await call('HEAD', '/health');
    expect(answer.status).toBe(200);
    expect(answer.bytes.length).toBe(0);
  });

  test('a body over 16 MiB is refused with 413', async () => {
    const answer = await call('POST', '/echo', { body: Buffer.alloc(16 * 1024 * 1024 + 1) });
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual({ error: 'Request body larger than 16777216 bytes.' });
  });

  test('a malformed escape in the path finds nothing and does not crash', async () => {
    expect((await call('GET', '/api/statuses/show/%E0%A4%A.json')).status).toBe(404);
    expect((await call('GET', '/health')).status).toBe(200);
  });
});

describe('utility endpoints', () => {
  test('GET / lists the routes', async () => {
    const answer = await call('GET', '/');
    expect(answer.status).toBe(200);
    expect(answer.json.name).toBe('httprun demo API');
    expect(answer.json.routes).toContain('POST /v1/users');
    expect(answer.json.routes).toContain('GET /api/statuses/show/:id.xml');
    expect(answer.json.routes).toContain('PUT /api/profile');
  });

  test('GET /health', async () => {
    const answer = await call('GET', '/health');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ status: 'ok' });
  });

  test('/echo returns method, query, headers (repeats kept) and body', async () => {
    const answer = await call('PATCH', '/echo?a=1&b=two', {
      headers: { 'x-twice': ['one', 'two'], 'content-type': 'text/plain' },
      body: 'hello body',
    });
    expect(answer.json).toMatchObject({
      method: 'PATCH',
      url: '/echo?a=1&b=two',
      query: { a: '1', b: 'two' },
      body: 'hello body',
    });
    expect(answer.json.headers['content-type']).toBe('text/plain');
    expect(answer.json.rawHeaders.filter(([name]: [string]) => name.toLowerCase() === 'x-twice')).toEqual([
      ['x-twice', 'one'],
      ['x-twice', 'two'],
    ]);
  });

  test('/redirect sends Location, chains n hops, and rejects bad input', async () => {
    const single = await call('GET', '/redirect?to=/echo&status=307');
    expect(single.status).toBe(307);
    expect(single.headers['location']).toBe('/echo');

    const chained = await call('GET', '/redirect?n=3');
    expect(chained.status).toBe(302);
    expect(chained.headers['location']).toBe('/redirect?to=%2Fhealth&status=302&n=2');
    const last = await call('GET', '/redirect?to=%2Fhealth&status=302&n=1');
    expect(last.headers['location']).toBe('/health');

    const badStatus = await call('GET', '/redirect?status=200');
    expect(badStatus.status).toBe(400);
    expect(badStatus.json).toEqual({ error: 'status must be one of 301, 302, 303, 307, 308.' });
    const badHops = await call('GET', '/redirect?n=0');
    expect(badHops.json).toEqual({ error: 'n must be 1 to 100.' });
  });

  test('/gzip, /deflate and /brotli send encoded JSON', async () => {
    const decoders = { gzip: gunzipSync, deflate: inflateSync, brotli: brotliDecompressSync };
    for (const [path, decode] of Object.entries(decoders)) {
      const answer = await call('GET', `/${path}`);
      expect(answer.headers['content-encoding']).toBe(path === 'brotli' ? 'br' : path);
      expect(() => JSON.parse(answer.text)).toThrow();
      expect(JSON.parse(decode(answer.bytes).toString())).toMatchObject({ message: 'decoded fine', method: 'GET' });
    }
  });

  test('/status/:code answers that status', async () => {
    const teapot = await call('GET', '/status/418');
    expect(teapot.status).toBe(418);
    expect(teapot.json).toEqual({ status: 418 });
    const noContent = await call('POST', '/status/204');
    expect(noContent.status).toBe(204);
    expect(noContent.bytes.length).toBe(0);
    const bad = await call('GET', '/status/99');
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: 'status code must be 200 to 599.' });
  });

  test('/delay/:ms waits, and refuses more than a minute', async () => {
    const started = Date.now();
    const answer = await call('GET', '/delay/120');
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
    expect(answer.json).toEqual({ delayedMs: 120 });
    const tooLong = await call('GET', '/delay/60001');
    expect(tooLong.status).toBe(400);
    expect(tooLong.json).toEqual({ error: 'delay must be 0 to 60000 ms.' });
  });

  test('/bytes/:n streams n bytes where byte i is i % 256', async () => {
    const answer = await call('GET', '/bytes/200000');
    expect(answer.headers['content-length']).toBe('200000');
    expect(answer.bytes.length).toBe(200000);
    expect(answer.bytes[0]).toBe(0);
    expect(answer.bytes[257]).toBe(1);
    expect(answer.bytes[199999]).toBe(199999 % 256);
    const expected = Buffer.from(Array.from({ length: 200000 }, (_, index) => index % 256));
    expect(createHash('sha256').update(answer.bytes).digest('hex')).toBe(createHash('sha256').update(expected).digest('hex'));
    const bad = await call('GET', '/bytes/lots');
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: 'n must be 0 to 268435456 bytes.' });
  });

  test('/latin1 sends Latin-1 bytes', async () => {
    const answer = await call('GET', '/latin1');
    expect(answer.headers['content-type']).toBe('text/plain; charset=iso-8859-1');
    expect([...answer.bytes]).toEqual([...Buffer.from('café crème\n', 'latin1')]);
  });

  test('/cookies/set sets cookies and /cookies reads them back', async () => {
    const set = await call('GET', '/cookies/set?session=abc&theme=dark');
    expect(set.headers['set-cookie']).toEqual(['session=abc; Path=/', 'theme=dark; Path=/']);
    const read = await call('GET', '/cookies', { headers: { cookie: 'session=abc; theme=dark' } });
    expect(read.json).toEqual({ cookies: { session: 'abc', theme: 'dark' } });
  });
});

describe('pixela-style habit tracker', () => {
  const token = demoSecrets['PIXELA_TOKEN']!;
  const auth = { 'x-user-token': token };

  async function createUserAndGraph(): Promise<void> {
    const user = await call('POST', '/v1/users', {
      json: { token, username: 'alice', agreeTermsOfService: 'yes', notMinor: 'yes' },
    });
    expect(user.status).toBe(200);
    expect(user.json).toMatchObject({ isSuccess: true });
    const graph = await call('POST', '/v1/users/alice/graphs', {
      headers: auth,
      json: { id: 'reading', name: 'Reading', unit: 'pages', type: 'int', color: 'shibafu' },
    });
    expect(graph.status).toBe(200);
    expect(graph.json).toEqual({ message: 'Success.', isSuccess: true });
  }

  test('the whole pixel life: post, read, update, delete, gone', async () => {
    await createUserAndGraph();
    const post = await call('POST', '/v1/users/alice/graphs/reading', { headers: auth, json: { date: '20240115', quantity: '5' } });
    expect(post.status).toBe(200);
    expect(post.json).toEqual({ message: 'Success.', isSuccess: true });

    const read = await call('GET', '/v1/users/alice/graphs/reading/20240115', { headers: auth });
    expect(read.status).toBe(200);
    expect(read.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(read.json).toEqual({ quantity: '5' });

    const update = await call('PUT', '/v1/users/alice/graphs/reading/20240115', { headers: auth, json: { quantity: '12' } });
    expect(update.json).toEqual({ message: 'Success.', isSuccess: true });
    expect((await call('GET', '/v1/users/alice/graphs/reading/20240115', { headers: auth })).json).toEqual({ quantity: '12' });
    expect((await call('GET', '/v1/users/alice/graphs/reading/pixels', { headers: auth })).json).toEqual({ pixels: ['20240115'] });

    const remove = await call('DELETE', '/v1/users/alice/graphs/reading/20240115', { headers: auth });
    expect(remove.status).toBe(200);

    const gone = await call('GET', '/v1/users/alice/graphs/reading/20240115', { headers: auth });
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ message: 'Specified pixel not found.', isSuccess: false });
    expect((await call('DELETE', '/v1/users/alice/graphs/reading/20240115', { headers: auth })).status).toBe(404);
  });

  test('a missing token is 401, a wrong one 403, both in Pixela shape', async () => {
    await createUserAndGraph();
    const missing = await call('POST', '/v1/users/alice/graphs/reading', { json: { date: '20240115', quantity: '5' } });
    expect(missing.status).toBe(401);
    expect(missing.json).toEqual({ message: 'X-USER-TOKEN header is required.', isSuccess: false });
    const wrong = await call('POST', '/v1/users/alice/graphs/reading', {
      headers: { 'x-user-token': 'not-the-token' },
      json: { date: '20240115', quantity: '5' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.json).toEqual({ message: 'User `alice` does not exist or the token is wrong.', isSuccess: false });
    const unknownUser = await call('GET', '/v1/users/bob/graphs', { headers: auth });
    expect(unknownUser.status).toBe(403);
  });

  test('user creation validates and refuses duplicates', async () => {
    const base = { token, username: 'alice', agreeTermsOfService: 'yes', notMinor: 'yes' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, username: 'Alice!' }, 'Validation error: username must match ^[a-z][a-z0-9-]{1,32}$.'],
      [{ ...base, token: 'short' }, 'Validation error: token must be 8 to 128 printable ASCII characters.'],
      [{ ...base, agreeTermsOfService: 'no' }, 'Validation error: agreeTermsOfService must be "yes".'],
      [{ ...base, notMinor: true }, 'Validation error: notMinor must be "yes".'],
    ];
    for (const [json, message] of cases) {
      const answer = await call('POST', '/v1/users', { json });
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ message, isSuccess: false });
    }
    expect((await call('POST', '/v1/users', { json: base })).status).toBe(200);
    const again = await call('POST', '/v1/users', { json: base });
    expect(again.status).toBe(409);
    expect(again.json).toEqual({ message: 'This user already exist.', isSuccess: false });
  });

  test('malformed JSON is a 400 in Pixela shape', async () => {
    const answer = await call('POST', '/v1/users', { headers: { 'content-type': 'application/json' }, body: '{"token": ' });
    expect(answer.status).toBe(400);
    expect(answer.json.isSuccess).toBe(false);
    expect(answer.json.message).toMatch(/^Malformed JSON in request body: /);
    const empty = await call('POST', '/v1/users', { body: '' });
    expect(empty.json).toEqual({ message: 'Request body is empty; expected a JSON object.', isSuccess: false });
    const array = await call('POST', '/v1/users', { body: '[1]' });
    expect(array.json).toEqual({ message: 'Request body must be a JSON object.', isSuccess: false });
  });

  test('graph and pixel validation', async () => {
    await createUserAndGraph();
    const badColor = await call('POST', '/v1/users/alice/graphs', {
      headers: auth,
      json: { id: 'g2', name: 'G', unit: 'u', type: 'int', color: 'pink' },
    });
    expect(badColor.json).toEqual({
      message: 'Validation error: color must be one of shibafu, momiji, sora, ichou, ajisai, kuro.',
      isSuccess: false,
    });
    const badType = await call('POST', '/v1/users/alice/graphs', {
      headers: auth,
      json: { id: 'g2', name: 'G', unit: 'u', type: 'text', color: 'sora' },
    });
    expect(badType.json.message).toBe('Validation error: type must be "int" or "float".');
    const duplicate = await call('POST', '/v1/users/alice/graphs', {
      headers: auth,
      json: { id: 'reading', name: 'G', unit: 'u', type: 'int', color: 'sora' },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.message).toBe('Graph `reading` already exists.');

    const badDate = await call('POST', '/v1/users/alice/graphs/reading', { headers: auth, json: { date: '20240230', quantity: '1' } });
    expect(badDate.status).toBe(400);
    expect(badDate.json.message).toBe('Validation error: date must be a real date in yyyyMMdd format.');
    const badQuantity = await call('POST', '/v1/users/alice/graphs/reading', { headers: auth, json: { date: '20240115', quantity: '1.5' } });
    expect(badQuantity.json.message).toBe('Specified quantity `1.5` is invalid for a graph of type int.');
    const numberQuantity = await call('PUT', '/v1/users/alice/graphs/reading/20240115', { headers: auth, json: { quantity: 3 } });
    expect(numberQuantity.json.message).toBe('quantity is required and must be a string (e.g. "5").');
    const noGraph = await call('GET', '/v1/users/alice/graphs/missing/20240115', { headers: auth });
    expect(noGraph.status).toBe(404);
    expect(noGraph.json.message).toBe('Specified graph `missing` not found.');
  });

  test('deleting the user removes it and its token', async () => {
    await createUserAndGraph();
    expect((await call('DELETE', '/v1/users/alice', { headers: auth })).json).toEqual({ message: 'Success.', isSuccess: true });
    expect((await call('GET', '/v1/users/alice/graphs', { headers: auth })).status).toBe(403);
  });
});

describe('identi.ca-style microblog', () => {
  const password = demoSecrets['MICROBLOG_PASSWORD']!;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  test('a form POST with Basic credentials answers the new status in XML, readable back by id', async () => {
    const answer = await call('POST', '/api/statuses/update.xml', {
      headers: { ...form, authorization: basic(demoMicroblogUser, password) },
      body: 'status=Test+update',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(answer.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<status>')).toBe(true);
    expect(xpathText(answer.text, '//status/id')).toEqual(['1']);
    expect(xpathText(answer.text, '//status/text')).toEqual(['Test update']);
    expect(xpathText(answer.text, '//status/user/screen_name')).toEqual(['demo']);
    expect(xpathText(answer.text, '//status/created_at')[0]).toMatch(/^\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} \+0000 \d{4}$/);

    const shown = await call('GET', '/api/statuses/show/1.xml');
    expect(shown.status).toBe(200);
    expect(xpathText(shown.text, '//status/text')).toEqual(['Test update']);

    const second = await call('POST', '/api/statuses/update.xml', {
      headers: { ...form, authorization: basic(demoMicroblogUser, password) },
      body: 'status=Again',
    });
    expect(xpathText(second.text, '//status/id')).toEqual(['2']);
  });

  test('the JSON twins', async () => {
    const answer = await call('POST', '/api/statuses/update.json', {
      headers: { ...form, authorization: basic(demoMicroblogUser, password) },
      body: 'status=Hello+from+httprun&source=httprun',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.json).toMatchObject({
      id: 1,
      id_str: '1',
      text: 'Hello from httprun',
      source: 'httprun',
      user: { screen_name: 'demo' },
    });
    expect((await call('GET', '/api/statuses/show/1.json')).json).toMatchObject({ id: 1, text: 'Hello from httprun' });
    // Both formats read the same store.
    expect(xpathText((await call('GET', '/api/statuses/show/1.xml')).text, '//status/text')).toEqual(['Hello from httprun']);
  });

  test('wrong or missing credentials get 401 with a Basic challenge', async () => {
    for (const headers of [{ ...form }, { ...form, authorization: basic(demoMicroblogUser, 'wrong') }, { ...form, authorization: basic('mallory', password) }]) {
      const answer = await call('POST', '/api/statuses/update.xml', { headers, body: 'status=x' });
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Basic realm="Microblog API"');
      expect(xpathText(answer.text, '/hash/error')).toEqual(['Could not authenticate you.']);
      expect(xpathText(answer.text, '/hash/request')).toEqual(['/api/statuses/update.xml']);
    }
    const json = await call('POST', '/api/statuses/update.json', { headers: form, body: 'status=x' });
    expect(json.status).toBe(401);
    expect(json.json).toEqual({ error: 'Could not authenticate you.', request: '/api/statuses/update.json' });
  });

  test('missing, too long and unknown statuses', async () => {
    const headers = { ...form, authorization: basic(demoMicroblogUser, password) };
    const missing = await call('POST', '/api/statuses/update.json', { headers, body: 'source=x' });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toBe("Client must provide a 'status' parameter with a value.");
    const long = await call('POST', '/api/statuses/update.json', { headers, body: `status=${'a'.repeat(141)}` });
    expect(long.status).toBe(413);
    expect(long.json.error).toBe("That's too long. Maximum notice size is 140 characters.");
    const unknown = await call('GET', '/api/statuses/show/42.xml');
    expect(unknown.status).toBe(404);
    expect(xpathText(unknown.text, '/hash/error')).toEqual(['No status found with that ID.']);
    expect((await call('GET', '/api/statuses/show/abc.json')).json.error).toBe('No status found with that ID.');
  });

  test('status text is escaped in XML', async () => {
    const answer = await call('POST', '/api/statuses/update.xml', {
      headers: { ...form, authorization: basic(demoMicroblogUser, password) },
      body: `status=${encodeURIComponent('<b>Tom & "Jerry"</b>')}`,
    });
    expect(answer.text).toContain('<text>&#60;b&#62;Tom &#38; &#34;Jerry&#34;&#60;/b&#62;</text>');
    expect(xpathText(answer.text, '//status/text')).toEqual(['<b>Tom & "Jerry"</b>']);
  });
});

describe('posts and profile with a bearer token', () => {
  const bearer = { authorization: `Bearer ${demoSecrets['POSTS_TOKEN']}` };

  test('create (201 + Location), read, delete (204), then 404', async () => {
    const created = await call('POST', '/api/posts', {
      headers: bearer,
      json: { title: 'Hello, httprun', body: 'Written from a .http file.', tags: ['demo', 'http'] },
    });
    expect(created.status).toBe(201);
    expect(created.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(created.headers['location']).toBe(`${server.url}/api/posts/1`);
    expect(created.json).toMatchObject({ id: 1, title: 'Hello, httprun', tags: ['demo', 'http'], author: 'demo' });

    const read = await call('GET', new URL(created.headers['location'] as string).pathname, { headers: bearer });
    expect(read.status).toBe(200);
    expect(read.json).toEqual(created.json);
    expect((await call('GET', '/api/posts', { headers: bearer })).json.posts).toHaveLength(1);

    const removed = await call('DELETE', '/api/posts/1', { headers: bearer });
    expect(removed.status).toBe(204);
    expect(removed.bytes.length).toBe(0);

    const gone = await call('GET', '/api/posts/1', { headers: bearer });
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ error: 'Post 1 not found.' });
    expect((await call('DELETE', '/api/posts/1', { headers: bearer })).status).toBe(404);
  });

  test('missing bearer and wrong bearer are 401 with RFC 6750 challenges', async () => {
    const missing = await call('GET', '/api/profile');
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="demo"');
    expect(missing.json).toEqual({ error: 'Missing bearer token: send "Authorization: Bearer <token>".' });
    const wrong = await call('POST', '/api/posts', { headers: { authorization: 'Bearer nope' }, json: { title: 'x' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="demo", error="invalid_token"');
    expect(wrong.json).toEqual({ error: 'Invalid bearer token.' });
    const basicInstead = await call('GET', '/api/profile', { headers: { authorization: basic('demo', 'x') } });
    expect(basicInstead.status).toBe(401);
    expect((await call('GET', '/api/posts', { headers: bearer })).json).toEqual({ posts: [] });
  });

  test('malformed JSON is 400, a body that does not fit is 422', async () => {
    const malformed = await call('POST', '/api/posts', { headers: { ...bearer, 'content-type': 'application/json' }, body: '{"title":' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatch(/^Malformed JSON in request body: /);
    const noTitle = await call('POST', '/api/posts', { headers: bearer, json: { body: 'x' } });
    expect(noTitle.status).toBe(422);
    expect(noTitle.json).toEqual({ error: 'title is required and must be a non-empty string.' });
    const badTags = await call('POST', '/api/posts', { headers: bearer, json: { title: 't', tags: [1] } });
    expect(badTags.json).toEqual({ error: 'tags must be an array of strings.' });
    const badBody = await call('POST', '/api/posts', { headers: bearer, json: { title: 't', body: 5 } });
    expect(badBody.json).toEqual({ error: 'body must be a string.' });
    const badProfile = await call('PUT', '/api/profile', { headers: bearer, json: { bio: 7 } });
    expect(badProfile.status).toBe(422);
    expect(badProfile.json).toEqual({ error: 'bio must be a string.' });
  });

  test('PUT /api/profile updates it; GET returns it with an ETag that follows the content', async () => {
    const before = await call('GET', '/api/profile', { headers: bearer });
    expect(before.status).toBe(200);
    expect(before.headers['etag']).toMatch(/^"[0-9a-f]{16}"$/);

    const updated = await call('PUT', '/api/profile', { headers: bearer, json: { displayName: 'Zoé Martin', bio: 'Café culture.' } });
    expect(updated.status).toBe(200);
    expect(updated.json).toEqual({ username: 'demo', displayName: 'Zoé Martin', bio: 'Café culture.', location: 'Montréal' });

    const after = await call('GET', '/api/profile', { headers: bearer });
    expect(after.json).toEqual(updated.json);
    expect(after.headers['etag']).toBe(updated.headers['etag']);
    expect(after.headers['etag']).not.toBe(before.headers['etag']);
  });

  test('the profile card is Latin-1 encoded, as its Content-Type says', async () => {
    await call('PUT', '/api/profile', { headers: bearer, json: { displayName: 'Zoé Martin ☕', bio: 'Café culture.' } });
    const card = await call('GET', '/api/profile/card', { headers: bearer });
    expect(card.status).toBe(200);
    expect(card.headers['content-type']).toBe('text/plain; charset=iso-8859-1');
    // é is one byte 0xE9 in Latin-1 (two bytes C3 A9 in UTF-8); ☕ has no Latin-1 form.
    expect(card.bytes.includes(Buffer.from([0x5a, 0x6f, 0xe9]))).toBe(true);
    expect(card.bytes.includes(Buffer.from([0xc3, 0xa9]))).toBe(false);
    expect(card.bytes.toString('latin1')).toBe('Zoé Martin ? (@demo)\nMontréal\nCafé culture.\n');
    expect(card.text).not.toContain('Zoé');
  });
});
