import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { project, runCli, type CliRun } from './helpers/cli.js';
import { serve, type TestServer } from './helpers/server.js';
import { writtenFiles } from './helpers/leak-audit.js';

// Issue 5, "Done when": a file full of secrets, echoed back by the server, run with --verbose and
// every report (and --dry-run), and every byte httprun writes is searched for the secret in every
// form it can take. Zero hits.

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

// Characters that every encoding treats differently: space, slash, plus, quote, backslash, &, =, non-ASCII.
const PASSWORD = 'pa55 w/rd+"q\\é&x=1';
const TOKEN = 'tok_8f3Kq2LmZx9VwR';
const USER = 'ada';

/** Every spelling of a value that could reach an output. */
function formsOf(value: string): string[] {
  const inUrl = (part: 'search' | 'pathname') => {
    const url = new URL('http://x/');
    url[part] = `a${value}`;
    return url[part].slice(2);
  };
  const encodings = [
    value,
    encodeURIComponent(value),
    encodeURIComponent(value).replace(/%20/g, '+'),
    encodeURI(value),
    inUrl('search'),
    inUrl('pathname'),
    new URLSearchParams({ a: value }).toString().slice(2),
    Buffer.from(value).toString('base64'),
    Buffer.from(value).toString('base64').replace(/=+$/, ''),
    Buffer.from(value).toString('base64url'),
    Buffer.from(`${USER}:${value}`).toString('base64'),
  ];
  const forms = new Set<string>();
  for (const form of encodings) {
    forms.add(form);
    // Inside a JSON report or body, and what an HTML or XML report would hold had it escaped a raw value.
    forms.add(JSON.stringify(form).slice(1, -1));
    forms.add(form.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;'));
    forms.add(form.replace(/&/g, '&amp;').replace(/"/g, '&#34;'));
  }
  return [...forms];
}


function expectNoLeak(outputs: Map<string, Buffer | string>, secrets: string[]): void {
  const hits: string[] = [];
  for (const [where, content] of outputs) {
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
    for (const secret of secrets) {
      for (const form of formsOf(secret)) {
        // As UTF-8 and as Latin-1 bytes (a header echoed back is Latin-1 on the wire).
        for (const encoding of ['utf8', 'latin1'] as const) {
          if (bytes.includes(Buffer.from(form, encoding))) hits.push(`${where}: ${JSON.stringify(form)} (${encoding})`);
        }
      }
    }
  }
  expect(hits).toEqual([]);
}

async function echoServer(): Promise<TestServer> {
  const server = await serve((request, response) => {
    // The password travels percent-encoded in its header: raw non-ASCII header bytes are not portable.
    const password = decodeURIComponent(String(request.headers['x-password'] ?? ''));
    const token = String(request.headers['x-token'] ?? '');
    // Everything received comes back: in headers, cookies, and a JSON body.
    response.writeHead(200, {
      'content-type': 'application/json',
      'x-echo-token': token,
      'x-echo-auth': String(request.headers.authorization ?? ''),
      'x-echo-password': encodeURIComponent(password),
      'set-cookie': [`session=${encodeURIComponent(password)}; Path=/`, `token=${token}; Path=/`],
    });
    response.end(
      JSON.stringify({
        url: request.url,
        headers: request.headers,
        body: request.body.toString(),
        password,
        password64: Buffer.from(password).toString('base64'),
      }),
    );
  });
  servers.push(server);
  return server;
}

function leakyProject(url: string): { root: string; inputs: Set<string> } {
  const files: Record<string, string> = {
    'leak.http': [
      '### login',
      `POST ${url}/login?token=<<TOKEN>>&pw=<<PASSWORD>>`,
      'Authorization: Basic ada <<PASSWORD>>',
      'X-Token: <<TOKEN>>',
      'X-Password: {{%passwordVar}}',
      'Content-Type: application/json',
      '',
      '{"user": "ada", "password": "<<PASSWORD>>", "token": "{{token}}"}',
      '',
      '?? status == 200',
      '?? body $.password == <<PASSWORD>>-but-wrong',
      '?? header x-echo-token == {{token}}',
      '?? body $.headers.x-token contains nothing-like-it',
      '>> saved/login.json',
      '',
      '### form',
      `POST ${url}/form`,
      'Content-Type: application/x-www-form-urlencoded',
      'Authorization: Bearer {{bearer}}',
      '',
      'user=ada',
      '&password={{%passwordVar}}',
      '',
      '?? body $.body == wrong',
      '>>! saved/form.json',
      '',
      '### file body',
      `PUT ${url}/file`,
      'X-Token: <<TOKEN>>',
      '',
      '<@ ./body.txt',
      '',
    ].join('\n'),
    'body.txt': 'password=<<PASSWORD>>\ntoken=<<TOKEN>>\n',
    'http-client.env.json': JSON.stringify({ $shared: { token: '<<TOKEN>>', bearer: '<<TOKEN>>', passwordVar: '<<PASSWORD>>' } }),
    // Single quotes: .env takes the value literally (quote and backslash included).
    '.env': `TOKEN=${TOKEN}\nPASSWORD='${PASSWORD}'\n`,
  };
  return { root: project(files), inputs: new Set([...Object.keys(files), 'package.json']) };
}

const REPORTS = ['--report-json', 'out/r.json', '--report-junit', 'out/r.xml', '--report-tap', 'out/r.tap', '--report-html', 'out/r.html'];

function outputsOf(run: CliRun, root: string, inputs: Set<string>): Map<string, Buffer | string> {
  const outputs = new Map<string, Buffer | string>([
    ['stdout', run.stdout],
    ['stderr', run.stderr],
  ]);
  for (const [name, bytes] of writtenFiles(root, inputs)) outputs.set(name, bytes);
  return outputs;
}

describe('the leak test of issue 5', () => {
  test('--verbose and every report: the secrets reach the server, and no byte written holds them in any form', async () => {
    const server = await echoServer();
    const { root, inputs } = leakyProject(server.url);
    // Under GitHub Actions the failures are also printed as ::error annotations: one more sink.
    const env = { TOKEN: undefined, PASSWORD: undefined, GITHUB_ACTIONS: 'true' };
    const run = await runCli(['leak.http', '--verbose', ...REPORTS], { cwd: root, env });
    expect(run.stdout).toContain('::error file=leak.http,line=11');

    // The secrets did go out, in every place written.
    const [login, form, file] = server.requests;
    expect(login?.url).toBe(`/login?token=${TOKEN}&pw=${new URL(`http://x/?q=${PASSWORD}`).search.slice(3)}`);
    expect(login?.headers.authorization).toBe(`Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);
    expect(login?.headers['x-token']).toBe(TOKEN);
    expect(decodeURIComponent(login!.headers['x-password'] as string)).toBe(PASSWORD);
    expect(login?.body.toString()).toContain(PASSWORD);
    expect(form?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(form?.body.toString()).toBe(`user=ada&password=${encodeURIComponent(PASSWORD)}`);
    expect(file?.body.toString()).toBe(`password=${PASSWORD}\ntoken=${TOKEN}\n`);

    expect(run.code).toBe(1);
    const outputs = outputsOf(run, root, inputs);
    expect([...outputs.keys()].sort()).toEqual(
      ['out/r.html', 'out/r.json', 'out/r.tap', 'out/r.xml', 'saved/form.json', 'saved/login.json', 'stderr', 'stdout'],
    );
    expectNoLeak(outputs, [PASSWORD, TOKEN]);

    // Masked, not dropped: the outputs still say where the secrets were.
    expect(run.stdout).toContain('X-Token: ***');
    expect(run.stdout).toContain('Authorization: Basic ***');
    expect(run.stdout).toMatch(/x-echo-token: \*\*\*/i);
    const json = JSON.parse(readFileSync(join(root, 'out/r.json'), 'utf8'));
    const loginResult = json.files[0].requests[0];
    expect(loginResult.url).toBe(`${server.url}/login?token=***&pw=***`);
    const wrong = loginResult.assertions.find((a: { text: string }) => a.text.includes('-but-wrong'));
    expect(wrong).toMatchObject({ passed: false, expected: '***-but-wrong', actual: '***' });
    expect(readFileSync(join(root, 'saved/login.json'), 'utf8')).toContain('"password":"***"');
  });

  test('--dry-run prints each resolved request with the secrets masked and sends nothing', async () => {
    const server = await echoServer();
    const { root, inputs } = leakyProject(server.url);
    const run = await runCli(['leak.http', '--dry-run', ...REPORTS], { cwd: root, env: { TOKEN: undefined, PASSWORD: undefined } });
    expect(run.code).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(run.stdout).toContain(`POST ${server.url}/login?token=***&pw=***`);
    expect(run.stdout).toContain('X-Token: ***');
    expect(run.stdout).toContain('{"user": "ada", "password": "***", "token": "***"}');
    expect(run.stdout).toMatch(/password=\*\*\*\n\s*token=\*\*\*/);
    expectNoLeak(outputsOf(run, root, inputs), [PASSWORD, TOKEN]);
  });

  test('a secret inside a failing request error and a refused host scope stays masked', async () => {
    const { root, inputs } = (() => {
      const files = {
        'down.http': `GET http://127.0.0.1:9/<<TOKEN>>\nX-Token: <<TOKEN>>\n\n###\nGET http://127.0.0.1:9/scoped\nX-Password: <<PASSWORD>>\n`,
        'httprun.yaml': 'secrets:\n  PASSWORD: { hosts: [api.example.com] }\n',
        '.env': `TOKEN=${TOKEN}\nPASSWORD=${TOKEN}-pw\n`,
      };
      return { root: project(files), inputs: new Set([...Object.keys(files), 'package.json']) };
    })();
    const run = await runCli(['down.http', '--verbose', ...REPORTS], { cwd: root, env: { TOKEN: undefined, PASSWORD: undefined } });
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('http://127.0.0.1:9/***');
    expectNoLeak(outputsOf(run, root, inputs), [TOKEN, `${TOKEN}-pw`]);
  });
});

describe('curl commands', () => {
  test('--data-urlencode and -F with a <<SECRET>>: sent rendered (and encoded), masked in --verbose, --dry-run and every report', async () => {
    const server = await echoServer();
    const files = {
      'curl.http': [
        `curl ${server.url}/urlencoded --data-urlencode 'pw=<<PASSWORD>>' --data-urlencode 'token={{token}}'`,
        '',
        '?? body $.body == wrong',
        '',
        '###',
        `curl ${server.url}/multipart -F 'pw=<<PASSWORD>>' -F 'token=<<TOKEN>>'`,
        '',
        '?? body $.body == wrong',
        '',
      ].join('\n'),
      'http-client.env.json': JSON.stringify({ $shared: { token: '<<TOKEN>>' } }),
      '.env': `TOKEN=${TOKEN}\nPASSWORD='${PASSWORD}'\n`,
    };
    const root = project(files);
    const inputs = new Set([...Object.keys(files), 'package.json']);
    const env = { TOKEN: undefined, PASSWORD: undefined };
    const run = await runCli(['curl.http', '--verbose', ...REPORTS], { cwd: root, env });
    expect(run.code).toBe(1);
    const [urlencoded, multipart] = server.requests;
    expect(urlencoded?.body.toString()).toBe(`pw=${encodeURIComponent(PASSWORD)}&token=${TOKEN}`);
    expect(multipart?.body.toString()).toContain(`name="pw"\r\n\r\n${PASSWORD}\r\n`);
    expect(multipart?.body.toString()).toContain(`name="token"\r\n\r\n${TOKEN}\r\n`);
    expect(run.stdout).toContain('pw=***&token=***');
    expectNoLeak(outputsOf(run, root, inputs), [PASSWORD, TOKEN]);

    const dry = await runCli(['curl.http', '--dry-run'], { cwd: root, env });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('pw=***&token=***');
    expectNoLeak(new Map([['stdout', dry.stdout], ['stderr', dry.stderr]]), [PASSWORD, TOKEN]);
  });
});

describe('error messages found before sending', () => {
  test('a diagnostic quoting a rendered secret (an assertion that does not parse) is masked, in run and in check', async () => {
    const files = {
      'a.http': 'GET http://127.0.0.1:9/x\n\n?? <<TOKEN>> == 1\n',
      '.env': `TOKEN=${TOKEN}\n`,
    };
    const root = project(files);
    const inputs = new Set([...Object.keys(files), 'package.json']);
    for (const args of [['a.http', ...REPORTS], ['check', 'a.http'], ['check', '--format', 'json', 'a.http']]) {
      const run = await runCli(args, { cwd: root, env: { TOKEN: undefined } });
      expect(run.code).toBe(2);
      expect(run.stdout).toMatch(/unknown query \\?"\*\*\*\\?"/);
      expectNoLeak(outputsOf(run, root, inputs), [TOKEN]);
    }
  });
});

describe('secrets are known before the first request', () => {
  test('a response that shows a secret only a later request sends is masked too', async () => {
    const server = await serve((request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'x-config': `key=${TOKEN}` }).end(`your key is ${TOKEN}`);
    });
    servers.push(server);
    const files = {
      'a.http': `GET ${server.url}/config\n\n###\nGET ${server.url}/use\nX-Token: <<TOKEN>>\n`,
      '.env': `TOKEN=${TOKEN}\n`,
    };
    const root = project(files);
    const run = await runCli(['a.http', '--verbose', ...REPORTS], { cwd: root, env: { TOKEN: undefined } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('your key is ***');
    expectNoLeak(outputsOf(run, root, new Set([...Object.keys(files), 'package.json'])), [TOKEN]);
  });
});

describe('>> saved responses', () => {
  test('are masked unless the request asks for the raw bytes with # @save-raw; bytes around a secret are kept', async () => {
    const binary = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a, 0xc3]);
    const server = await serve((request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(Buffer.concat([binary, Buffer.from(String(request.headers['x-token'])), binary]));
    });
    servers.push(server);
    const root = project({
      'a.http': [
        `GET ${server.url}/masked`,
        'X-Token: <<TOKEN>>',
        '',
        '>> saved/masked.bin',
        '',
        '###',
        '# @save-raw',
        `GET ${server.url}/raw`,
        'X-Token: <<TOKEN>>',
        '',
        '>> saved/raw.bin',
        '',
      ].join('\n'),
      '.env': `TOKEN=${TOKEN}\n`,
    });
    const run = await runCli(['a.http'], { cwd: root, env: { TOKEN: undefined } });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).not.toMatch(/unknown metadata|@save-raw/);
    expect(readFileSync(join(root, 'saved/masked.bin'))).toEqual(Buffer.concat([binary, Buffer.from('***'), binary]));
    expect(readFileSync(join(root, 'saved/raw.bin'))).toEqual(Buffer.concat([binary, Buffer.from(TOKEN), binary]));
  });
});

describe('the private env file holds secrets', () => {
  test('a value from http-client.private.env.json written as {{name}} is masked everywhere, and host-scoped by name', async () => {
    const password = 'priv-Pw-93kd02mf';
    const server = await echoServer();
    const files = {
      'a.http': [
        `POST ${server.url}/login?pw={{password}}`,
        'Authorization: Basic {{user}} {{password}}',
        'X-Token: {{password}}',
        '',
        '{"password": "{{password}}"}',
        '',
        '?? body $.body == nope',
        '',
        '###',
        'GET http://127.0.0.1:9/elsewhere',
        'X-Token: {{password}}',
        '',
      ].join('\n'),
      'http-client.env.json': JSON.stringify({ dev: { user: 'ada' } }),
      'http-client.private.env.json': JSON.stringify({ dev: { password } }),
      'httprun.yaml': `secrets:\n  password: { hosts: ['127.0.0.1:${new URL(server.url).port}'] }\n`,
    };
    const root = project(files);
    const run = await runCli(['a.http', '--env', 'dev', '--verbose', ...REPORTS], { cwd: root });
    expect(run.code).toBe(3);
    expect(server.requests[0]?.headers['x-token']).toBe(password);
    expect(server.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`ada:${password}`).toString('base64')}`);
    expect(run.stdout).toContain('X-Token: ***');
    expect(run.stdout).toMatch(/secret password may only be sent to 127\.0\.0\.1:\d+; refusing to send it to 127\.0\.0\.1:9/);
    expectNoLeak(outputsOf(run, root, new Set([...Object.keys(files), 'package.json'])), [password]);
  });
});

describe('# @secret marks a captured value secret', () => {
  test('a token captured from a response is masked wherever it appears from then on', async () => {
    const captured = 'captured-Tk-4f9e2b7c1d';
    const server = await serve((request, response) => {
      if (request.url === '/login') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: captured }));
        return;
      }
      response
        .writeHead(200, { 'content-type': 'application/json', 'x-echo': String(request.headers.authorization ?? '') })
        .end(JSON.stringify({ auth: request.headers.authorization }));
    });
    servers.push(server);
    const files = {
      'a.http': [
        '# @secret token',
        '@token = {{login.response.body.$.token}}',
        '',
        '### login',
        '# @name login',
        `POST ${server.url}/login`,
        '',
        '### me',
        `GET ${server.url}/me?t={{token}}`,
        'Authorization: Bearer {{token}}',
        '',
        '?? body $.auth == Bearer {{token}}',
        '?? header x-echo == nope',
        '',
      ].join('\n'),
    };
    const root = project(files);
    const run = await runCli(['a.http', '--verbose', ...REPORTS], { cwd: root });
    expect(run.code).toBe(1);
    expect(server.requests[1]?.headers.authorization).toBe(`Bearer ${captured}`);
    expect(run.stdout).toContain('Authorization: Bearer ***');
    const json = JSON.parse(readFileSync(join(root, 'out/r.json'), 'utf8'));
    expect(json.files[0].requests[1].url).toBe(`${server.url}/me?t=***`);
    expectNoLeak(outputsOf(run, root, new Set([...Object.keys(files), 'package.json'])), [captured]);
  });

  test('a value a JetBrains script stores under a @secret name is masked too', async () => {
    const captured = 'scripted-Tk-77aa01bc';
    const server = await serve((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: captured, echo: request.headers['x-token'] ?? null }));
    });
    servers.push(server);
    const files = {
      'a.http': [
        '# @secret token',
        `POST ${server.url}/login`,
        '',
        '> {% client.global.set("token", response.body.token); client.log("logged " + response.body.token); %}',
        '',
        '###',
        `GET ${server.url}/me`,
        'X-Token: {{token}}',
        '',
      ].join('\n'),
    };
    const root = project(files);
    const run = await runCli(['a.http', '--verbose', ...REPORTS], { cwd: root });
    expect(run.code).toBe(0);
    expect(server.requests[1]?.headers['x-token']).toBe(captured);
    // The script's own client.log of the value it just stored is masked as well.
    expect(run.stdout).toContain('logged ***');
    expectNoLeak(outputsOf(run, root, new Set([...Object.keys(files), 'package.json'])), [captured]);
  });
});
