import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { project, runCli } from './helpers/cli.js';
import { serve, type TestServer } from './helpers/server.js';

// Secrets (SPEC §3, §7; issue 5): where they come from, where they may stand, what happens when
// one is missing, and where they may be sent. Every run goes through the real CLI.

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function echo(): Promise<TestServer> {
  const server = await serve((request, response) => response.writeHead(204).end());
  servers.push(server);
  return server;
}

function report(root: string, name = 'r.json') {
  return JSON.parse(readFileSync(join(root, name), 'utf8'));
}

describe('where a secret comes from: process env > .env beside the file > root .env > private env file', () => {
  const layers = (url: string) => ({
    'api/a.http': `GET ${url}/\nX-Token: <<TOKEN>>\n`,
    'api/.env': 'TOKEN=from-beside-dotenv\n',
    '.env': 'TOKEN=from-root-dotenv\n',
    'http-client.private.env.json': JSON.stringify({ $shared: { TOKEN: 'from-private-env' } }),
  });

  test('the process environment wins over every file', async () => {
    const server = await echo();
    const { code } = await runCli(['api/a.http'], { cwd: project(layers(server.url)), env: { TOKEN: 'from-process' } });
    expect(code).toBe(0);
    expect(server.requests[0]?.headers['x-token']).toBe('from-process');
  });

  test('the .env beside the request file wins over the project root .env', async () => {
    const server = await echo();
    const { code } = await runCli(['api/a.http'], { cwd: project(layers(server.url)), env: { TOKEN: undefined } });
    expect(code).toBe(0);
    expect(server.requests[0]?.headers['x-token']).toBe('from-beside-dotenv');
  });

  test('the project root .env wins over the private env file', async () => {
    const server = await echo();
    const files: Record<string, string> = layers(server.url);
    delete files['api/.env'];
    const { code } = await runCli(['api/a.http'], { cwd: project(files), env: { TOKEN: undefined } });
    expect(code).toBe(0);
    expect(server.requests[0]?.headers['x-token']).toBe('from-root-dotenv');
  });

  test('the private env file is the last source: its $shared, or the selected environment', async () => {
    const server = await echo();
    const files: Record<string, string> = layers(server.url);
    delete files['api/.env'];
    delete files['.env'];
    const shared = await runCli(['api/a.http'], { cwd: project(files), env: { TOKEN: undefined } });
    expect(shared.code).toBe(0);
    files['http-client.private.env.json'] = JSON.stringify({ dev: { TOKEN: 'from-private-dev' } });
    files['http-client.env.json'] = JSON.stringify({ dev: {} });
    const selected = await runCli(['api/a.http', '--env', 'dev'], { cwd: project(files), env: { TOKEN: undefined } });
    expect(selected.code).toBe(0);
    expect(server.requests.map((r) => r.headers['x-token'])).toEqual(['from-private-env', 'from-private-dev']);
  });

  test('a public env file is not a source of secrets', async () => {
    const server = await echo();
    const root = project({
      'a.http': `GET ${server.url}/\nX-Token: <<TOKEN>>\n`,
      'http-client.env.json': JSON.stringify({ $shared: { TOKEN: 'committed-to-git' } }),
    });
    const { code, stdout, stderr } = await runCli(['a.http'], { cwd: root, env: { TOKEN: undefined } });
    expect(code).toBe(2);
    expect(stdout + stderr).toMatch(/a\.http:2:\d+.*missing secret <<TOKEN>>/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('where a secret may stand', () => {
  test('URL, header, inline body, a <@ file body and an env file value, all sent as the value and shown as ***', async () => {
    const server = await echo();
    const secret = 'Zq8-very-secret-value';
    const root = project({
      'a.http': [
        `POST ${server.url}/items?key=<<TOKEN>>`,
        'X-Token: <<TOKEN>>',
        'Authorization: {{auth}}',
        '',
        'inline=<<TOKEN>>',
        '',
        '###',
        `POST ${server.url}/file`,
        '',
        '<@ ./body.json',
        '',
      ].join('\n'),
      'body.json': '{"token": "<<TOKEN>>"}',
      'http-client.env.json': JSON.stringify({ $shared: { auth: 'Bearer <<TOKEN>>' } }),
      '.env': `TOKEN=${secret}\n`,
    });
    const { code, stdout, stderr } = await runCli(['a.http', '--verbose', '--report-json', 'r.json'], { cwd: root });
    expect(code).toBe(0);
    const [first, second] = server.requests;
    expect(first?.url).toBe(`/items?key=${secret}`);
    expect(first?.headers['x-token']).toBe(secret);
    expect(first?.headers.authorization).toBe(`Bearer ${secret}`);
    expect(first?.body.toString()).toBe(`inline=${secret}`);
    expect(second?.body.toString()).toBe(`{"token": "${secret}"}`);
    const written = stdout + stderr + readFileSync(join(root, 'r.json'), 'utf8');
    expect(written).not.toContain(secret);
    expect(stdout).toContain('X-Token: ***');
    expect(stdout).toContain('Authorization: Bearer ***');
    expect(stdout).toContain('{"token": "***"}');
    expect(report(root).files[0].requests[0].url).toBe(`${server.url}/items?key=***`);
  });
});

describe('a secret through assertion filters', () => {
  test('echoed back and shown by toHex, utf8Encode, htmlEscape, base64Encode or base64Decode in a failing assertion: masked in every output', async () => {
    const server = await serve((request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(request.body));
    servers.push(server);
    const secret = 'Zq8<very>&secret';
    // A base64 API key: what it decodes to is as secret as the key.
    const decoded = 'key:Zq8-inner-part';
    const key = Buffer.from(decoded).toString('base64');
    const root = project({
      'a.http': [
        `POST ${server.url}/echo`,
        'Content-Type: application/json',
        '',
        '{"t": "<<TOKEN>>", "k": "<<KEY>>"}',
        '',
        '?? body $.t toHex == x',
        '?? body $.t utf8Encode == x',
        '?? body $.t htmlEscape == x',
        '?? body $.t base64Encode == x',
        '?? body $.k base64Decode == x',
        '?? body $.k base64Decode utf8Decode == x',
        '',
      ].join('\n'),
      '.env': `TOKEN=${secret}\nKEY=${key}\n`,
    });
    const { code, stdout, stderr } = await runCli(['a.http', '--verbose', '--report-json', 'r.json', '--report-junit', 'j.xml'], { cwd: root });
    expect(code).toBe(1);
    const written = stdout + stderr + readFileSync(join(root, 'r.json'), 'utf8') + readFileSync(join(root, 'j.xml'), 'utf8');
    const hex = (text: string) => Buffer.from(text).toString('hex');
    for (const form of [secret, hex(secret), hex(secret).toUpperCase(), 'Zq8&lt;very&gt;&amp;secret', Buffer.from(secret).toString('base64'), key, decoded, hex(decoded)]) {
      expect(written, form).not.toContain(form);
    }
    expect(report(root).files[0].requests[0].assertions.filter((a: { passed: boolean }) => !a.passed)).toHaveLength(6);
  });
});

describe('missing secrets', () => {
  test('every one is listed at once with file:line — URL, header, body, <@ file, env value — exit 2, nothing sent', async () => {
    const server = await echo();
    const root = project({
      'a.http': [
        `POST ${server.url}/one?key=<<IN_URL>>`,
        'X-Token: <<IN_HEADER>>',
        'Authorization: {{auth}}',
        '',
        'secret=<<IN_BODY>>',
        '',
        '###',
        `POST ${server.url}/two`,
        '',
        '<@ ./body.txt',
        '',
      ].join('\n'),
      'body.txt': 'value=<<IN_FILE>>',
      'http-client.env.json': JSON.stringify({ $shared: { auth: 'Bearer <<IN_ENV>>' } }),
      'b.http': `GET ${server.url}/other-file-runs\n`,
    });
    const { code, stdout, stderr } = await runCli(['a.http', 'b.http', '--jobs', '1', '--report-json', 'r.json'], { cwd: root });
    const out = stdout + stderr;
    expect(code).toBe(2);
    expect(out).toMatch(/a\.http:1:\d+.*missing secret <<IN_URL>>/);
    expect(out).toMatch(/a\.http:2:\d+.*missing secret <<IN_HEADER>>/);
    expect(out).toMatch(/a\.http:3:\d+.*missing secret <<IN_ENV>>/);
    expect(out).toMatch(/a\.http:5:\d+.*missing secret <<IN_BODY>>/);
    expect(out).toMatch(/a\.http:10:\d+.*missing secret <<IN_FILE>>/);
    expect(out).toMatch(/set IN_URL in the environment or in a \.env file beside the request file/);
    // Nothing from a.http was sent; the other file ran.
    expect(server.requests.map((r) => r.url)).toEqual(['/other-file-runs']);
    const written = report(root);
    expect(written.files[0].error).toMatch(/missing secret <<IN_URL>> \(and 4 more\)/);
    expect(written.files[1].requests[0].outcome).toBe('passed');
  });

  test('check lists them too, without the network', async () => {
    const root = project({ 'a.http': 'GET http://127.0.0.1:9/<<A>>\nX-B: <<B>>\n' });
    const { code, stdout } = await runCli(['check', 'a.http'], { cwd: root, env: { A: undefined, B: undefined } });
    expect(code).toBe(2);
    expect(stdout).toMatch(/a\.http:1:\d+.*missing secret <<A>>/);
    expect(stdout).toMatch(/a\.http:2:\d+.*missing secret <<B>>/);
  });

  test('an empty value counts as set', async () => {
    const server = await echo();
    const root = project({ 'a.http': `GET ${server.url}/\nX-Token: [<<TOKEN>>]\n`, '.env': 'TOKEN=\n' });
    const { code } = await runCli(['a.http'], { cwd: root, env: { TOKEN: undefined } });
    expect(code).toBe(0);
    expect(server.requests[0]?.headers['x-token']).toBe('[]');
  });
});

describe('host scopes (httprun.yaml secrets: NAME: {hosts: [...]})', () => {
  test('a host without a port matches any port', async () => {
    const server = await echo();
    const root = project({
      'a.http': `GET ${server.url}/\nX-Token: <<TOKEN>>\n`,
      'httprun.yaml': 'secrets:\n  TOKEN: { hosts: [127.0.0.1] }\n',
      '.env': 'TOKEN=scoped-value\n',
    });
    const { code } = await runCli(['a.http'], { cwd: root });
    expect(code).toBe(0);
    expect(server.requests[0]?.headers['x-token']).toBe('scoped-value');
  });

  test('another host is refused before sending: errored with the reason, exit 3, the other requests run', async () => {
    const allowed = await echo();
    const other = await echo();
    const allowedPort = new URL(allowed.url).port;
    const root = project({
      'a.http': [
        `GET ${other.url}/leak`,
        'X-Token: <<TOKEN>>',
        '',
        '###',
        `GET ${other.url}/no-secret-here`,
        '',
        '###',
        `GET ${allowed.url}/fine`,
        'X-Token: <<TOKEN>>',
        '',
      ].join('\n'),
      'httprun.yaml': `secrets:\n  TOKEN: { hosts: ['api.example.com', '127.0.0.1:${allowedPort}'] }\n`,
      '.env': 'TOKEN=scoped-value\n',
    });
    const { code, stdout } = await runCli(['a.http', '--report-json', 'r.json'], { cwd: root });
    expect(code).toBe(3);
    expect(other.requests.map((r) => r.url)).toEqual(['/no-secret-here']);
    expect(allowed.requests.map((r) => r.url)).toEqual(['/fine']);
    const reason = `secret TOKEN may only be sent to api.example.com, 127.0.0.1:${allowedPort}; refusing to send it to 127.0.0.1:${new URL(other.url).port}`;
    expect(stdout).toContain(reason);
    expect(report(root).files[0].requests.map((r: { outcome: string }) => r.outcome)).toEqual(['errored', 'passed', 'passed']);
    expect(report(root).files[0].requests[0].error).toBe(reason);
  });

  test('a scoped secret in the URL, the body or an env value is refused as well', async () => {
    const allowed = await echo();
    const other = await echo();
    const root = project({
      'a.http': [
        `GET ${other.url}/q?key=<<TOKEN>>`,
        '',
        '###',
        `POST ${other.url}/body`,
        '',
        'token=<<TOKEN>>',
        '',
        '###',
        `GET ${other.url}/env`,
        'Authorization: {{auth}}',
        '',
      ].join('\n'),
      'http-client.env.json': JSON.stringify({ $shared: { auth: 'Bearer <<TOKEN>>' } }),
      'httprun.yaml': `secrets:\n  TOKEN: { hosts: ['127.0.0.1:${new URL(allowed.url).port}'] }\n`,
      '.env': 'TOKEN=scoped-value\n',
    });
    const { code } = await runCli(['a.http', '--report-json', 'r.json'], { cwd: root });
    expect(code).toBe(3);
    expect(other.requests).toHaveLength(0);
    expect(report(root).files[0].requests.map((r: { outcome: string }) => r.outcome)).toEqual(['errored', 'errored', 'errored']);
  });

  test('a redirect to another host never carries the secret: a header is dropped, a 307 body is refused', async () => {
    const other = await echo();
    const allowed = await serve((request, response) => {
      const status = request.url === '/keep-body' ? 307 : 302;
      response.writeHead(status, { location: `${other.url}/landed${request.url}` }).end();
    });
    servers.push(allowed);
    const root = project({
      'a.http': [
        `GET ${allowed.url}/header`,
        'X-Token: <<TOKEN>>',
        '',
        '###',
        `POST ${allowed.url}/keep-body`,
        'Content-Type: text/plain',
        '',
        'token=<<TOKEN>>',
        '',
      ].join('\n'),
      'httprun.yaml': `secrets:\n  TOKEN: { hosts: ['127.0.0.1:${new URL(allowed.url).port}'] }\n`,
      '.env': 'TOKEN=scoped-value\n',
    });
    const { code, stdout } = await runCli(['a.http', '--report-json', 'r.json'], { cwd: root });
    expect(code).toBe(3);
    expect(allowed.requests.map((r) => r.headers['x-token'] ?? r.body.toString())).toEqual(['scoped-value', 'token=scoped-value']);
    // The header request lands without its secret; the body request is not sent on.
    expect(other.requests.map((r) => r.url)).toEqual(['/landed/header']);
    expect(other.requests[0]?.headers['x-token']).toBeUndefined();
    expect(JSON.stringify(other.requests.map((r) => [r.rawHeaders, r.body.toString()]))).not.toContain('scoped-value');
    const requests = report(root).files[0].requests;
    expect(requests[0].outcome).toBe('passed');
    expect(requests[1].outcome).toBe('errored');
    expect(requests[1].error).toMatch(/secret TOKEN may only be sent to 127\.0\.0\.1:\d+; refusing to send it to 127\.0\.0\.1:\d+/);
    expect(stdout).not.toContain('scoped-value');
  });

  test('an unscoped secret follows a same-origin redirect', async () => {
    const server = await serve((request, response) => {
      if (request.url === '/start') return response.writeHead(302, { location: '/next' }).end();
      response.writeHead(204).end();
    });
    servers.push(server);
    const root = project({ 'a.http': `GET ${server.url}/start\nX-Token: <<TOKEN>>\n`, '.env': 'TOKEN=plain-secret\n' });
    const { code } = await runCli(['a.http'], { cwd: root });
    expect(code).toBe(0);
    expect(server.requests.map((r) => [r.url, r.headers['x-token']])).toEqual([
      ['/start', 'plain-secret'],
      ['/next', 'plain-secret'],
    ]);
  });
});
