import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { project, runCli } from './helpers/cli.js';
import { json, serve, type TestServer } from './helpers/server.js';
import { startWatch } from './helpers/watch-process.js';

// The env files a team that used httpyac, JetBrains or REST Client has committed, run through the CLI.
let server: TestServer;
beforeAll(async () => {
  server = await serve((request, response) => json(response, 200, { url: request.url }));
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

async function runIn(files: Record<string, string>, args: string[]) {
  const root = project(files);
  const result = await runCli([...args, '--no-color'], { cwd: root });
  return { ...result, root, output: result.stdout + result.stderr, urls: server.requests.map((r) => r.url) };
}

describe("httpyac's NAME.env", () => {
  test('--env dev reads dev.env, which alone makes dev an environment; its values are masked everywhere', async () => {
    const { code, output, root, urls } = await runIn(
      {
        'requests/a.http': 'GET {{host}}/users/{{user}}\nAuthorization: Bearer {{token}}\n',
        'dev.env': `host=${server.url}\nuser=ada-from-dev-env\ntoken=tok-from-dev-env\n`,
      },
      ['--env', 'dev', '--verbose', '--report-json', 'r.json', 'requests/a.http'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/users/ada-from-dev-env']);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer tok-from-dev-env');
    const written = output + readFileSync(join(root, 'r.json'), 'utf8');
    for (const value of ['ada-from-dev-env', 'tok-from-dev-env', server.url]) expect(written).not.toContain(value);
    expect(output).toContain('GET ***/users/***');
  });

  test('below every other source: a file variable, the environment and $shared of http-client.env.json win over it', async () => {
    const { code, urls } = await runIn(
      {
        'a.http': '@fromFile = file\n\nGET {{base}}/{{fromFile}}/{{fromEnv}}/{{fromShared}}/{{fromDotenv}}\n',
        'http-client.env.json': JSON.stringify({ $shared: { base: server.url, fromShared: 'shared' }, dev: { fromEnv: 'json-dev' } }),
        'dev.env': 'fromFile=x\nfromEnv=x\nfromShared=x\nfromDotenv=dotenv\n',
      },
      ['--env', 'dev', 'a.http'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/file/json-dev/shared/dotenv']);
  });

  test('a name that is no environment anywhere is still an error that lists the ones there are', async () => {
    const { code, output, urls } = await runIn(
      { 'a.http': `GET ${server.url}/x\n`, 'dev.env': 'a=1\n', 'http-client.env.json': '{"staging": {}}' },
      ['--env', 'prod', 'a.http'],
    );
    expect(code).toBe(2);
    expect(output).toContain('unknown environment "prod" (--env prod); defined: staging');
    expect(urls).toEqual([]);
  });

  test('httprun.yaml secrets: scopes a dotenv value by its name: it is not sent to another host', async () => {
    const { code, root, urls } = await runIn(
      {
        'a.http': `GET ${server.url}/free\n\n###\nGET ${server.url}/scoped\nAuthorization: Bearer {{token}}\n`,
        'env/dev.env': 'token=scoped-token-value\n',
        'httprun.yaml': 'secrets:\n  token: { hosts: [api.example.com] }\n',
      },
      ['--env', 'dev', '--report-json', 'r.json', 'a.http'],
    );
    expect(code).toBe(3);
    expect(urls).toEqual(['/free']);
    const report = readFileSync(join(root, 'r.json'), 'utf8');
    expect(report).toMatch(/secret token may only be sent to api\.example\.com; refusing to send it to 127\.0\.0\.1:\d+/);
    expect(report).not.toContain('scoped-token-value');
  });
});

describe('.env in the folders between the project root and the request file, and the env/ folder', () => {
  test('every folder counts, the nearer winning; env/ wins over its folder; <<SECRET>> reads them too', async () => {
    const { code, output, urls } = await runIn(
      {
        'services/users/v1/a.http': 'GET {{base}}/{{a}}/{{b}}/{{c}}/{{d}}\nX-Key: <<API_KEY>>\n',
        '.env': `base=${server.url}\na=root\nb=root\nc=root\nd=root\n`,
        'env/.env': 'b=root-env\nc=root-env\nd=root-env\n',
        'services/.env': 'c=services\nd=services\nAPI_KEY=key-from-services\n',
        'services/users/v1/.env': 'd=beside\n',
      },
      ['--verbose', 'services/users/v1/a.http'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/root/root-env/services/beside']);
    expect(server.requests[0]?.headers['x-key']).toBe('key-from-services');
    expect(output).not.toContain('key-from-services');
  });

  test("an environment only in env/http-client.env.json is found, and a nested file's environment merges with it", async () => {
    const { code, urls } = await runIn(
      {
        'api/a.http': 'GET {{base}}/{{who}}/{{stage}}\n',
        'env/http-client.env.json': JSON.stringify({ staging: { base: server.url, who: 'env-folder', stage: 'staging' } }),
        'api/http-client.env.json': JSON.stringify({ staging: { who: 'api' } }),
      },
      ['--env', 'staging', 'api/a.http'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/api/staging']);
  });

  test('a comment in http-client.env.json is a located error with the reason, and nothing is sent', async () => {
    const { code, output, urls } = await runIn(
      { 'a.http': `GET ${server.url}/x\n`, 'env/http-client.env.json': '{\n  "dev": {} // local\n}\n' },
      ['--env', 'dev', 'a.http'],
    );
    expect(code).toBe(2);
    expect(output).toContain('env/http-client.env.json:2:13: error: http-client.env.json is not valid JSON: comments are not allowed in JSON');
    expect(output).toContain('JSON has no comments (httpyac and kulala silently skip a file with one): remove the comment');
    expect(urls).toEqual([]);
  });
});

describe('watch', () => {
  test('re-runs when a dotenv file in env/ changes, and when a NAME.env appears', async () => {
    const root = project({ 'a.http': `GET ${server.url}/{{who}}/{{level}}\n`, 'env/.env': 'who=first\nlevel=none\n', '.env.dev': '' });
    const watcher = startWatch(['--env', 'dev'], { cwd: root });
    try {
      expect((await watcher.nextRun()).reason).toBe('first run');
      writeFileSync(join(root, 'env/.env'), 'who=second\nlevel=none\n');
      expect((await watcher.nextRun()).reason).toBe('changed: env/.env');
      mkdirSync(join(root, 'env'), { recursive: true });
      writeFileSync(join(root, 'env/dev.env'), 'level=dev\n');
      expect((await watcher.nextRun()).reason).toBe('changed: env/dev.env');
      expect(server.requests.map((request) => request.url)).toEqual(['/first/none', '/second/none', '/second/dev']);
    } finally {
      await watcher.stop('SIGINT');
    }
  });
});
