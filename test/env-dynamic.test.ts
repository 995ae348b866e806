import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { project, runCli } from './helpers/cli.js';
import { serve, type TestServer } from './helpers/server.js';

// Every dynamic variable of SPEC §3 goes out in a real request; the server records what arrived.
let server: TestServer;
beforeAll(async () => {
  server = await serve((_request, response) => response.writeHead(204).end());
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Sends one request whose headers are `X-<name>: <template>` and returns the headers received. */
async function send(headers: Record<string, string>, files: Record<string, string> = {}, env: Record<string, string> = {}) {
  const lines = Object.entries(headers).map(([name, template]) => `X-${name}: ${template}`);
  const root = project({ 'd.http': `GET ${server.url}/dyn\n${lines.join('\n')}\n`, ...files });
  const before = Date.now();
  const result = await runCli(['d.http'], { cwd: root, env });
  const after = Date.now();
  expect(result.code, result.stdout + result.stderr).toBe(0);
  expect(server.requests).toHaveLength(1);
  const received = server.requests[0]!.headers;
  const value = (name: string) => {
    const got = received[`x-${name.toLowerCase()}`];
    if (typeof got !== 'string') throw new Error(`header X-${name} did not arrive`);
    return got;
  };
  return { value, before, after };
}

/** Within the window the CLI ran in, give or take `slackMs` (clock granularity, second rounding). */
function expectWithin(ms: number, window: { before: number; after: number }, offsetMs = 0, slackMs = 1000) {
  expect(ms).toBeGreaterThanOrEqual(window.before + offsetMs - slackMs);
  expect(ms).toBeLessThanOrEqual(window.after + offsetMs + slackMs);
}

const DAY = 86_400_000;

describe('dynamic variables through a real request', () => {
  test('$uuid, $guid and $random.uuid are fresh v4 UUIDs, one per use', async () => {
    const { value } = await send({ Uuid: '{{$uuid}}', Uuid2: '{{$uuid}}', Guid: '{{$guid}}', RandomUuid: '{{$random.uuid}}' });
    for (const name of ['Uuid', 'Uuid2', 'Guid', 'RandomUuid']) expect(value(name)).toMatch(UUID_V4);
    expect(new Set(['Uuid', 'Uuid2', 'Guid', 'RandomUuid'].map(value)).size).toBe(4);
  });

  test('$timestamp is Unix seconds, with offsets; $isoTimestamp is UTC ISO 8601', async () => {
    const window = await send({
      Now: '{{$timestamp}}',
      Yesterday: '{{$timestamp -1 d}}',
      InTwoHours: '{{$timestamp 2 h}}',
      Iso: '{{$isoTimestamp}}',
    });
    const { value } = window;
    expect(value('Now')).toMatch(/^\d{10}$/);
    expectWithin(Number(value('Now')) * 1000, window);
    expectWithin(Number(value('Yesterday')) * 1000, window, -DAY);
    expectWithin(Number(value('InTwoHours')) * 1000, window, 2 * 3_600_000);
    expect(value('Iso')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
    expectWithin(Date.parse(value('Iso')), window);
  });

  test('$datetime iso8601, rfc1123 and a quoted dayjs format, in UTC, with offsets', async () => {
    const window = await send(
      {
        Iso: '{{$datetime iso8601}}',
        Rfc: '{{$datetime rfc1123}}',
        Day: '{{$datetime "YYYY-MM-DD"}}',
        Single: "{{$datetime 'YYYY'}}",
        LastWeek: '{{$datetime iso8601 -1 w}}',
        Later: '{{$datetime rfc1123 90 m}}',
      },
      {},
      { TZ: 'Asia/Kolkata' },
    );
    const { value } = window;
    expect(value('Iso')).toMatch(/Z$/);
    expectWithin(Date.parse(value('Iso')), window);
    expect(value('Rfc')).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expectWithin(Date.parse(value('Rfc')), window);
    // UTC even though the process runs in +05:30 (the day may differ between the two zones).
    expect([new Date(window.before).toISOString().slice(0, 10), new Date(window.after).toISOString().slice(0, 10)]).toContain(value('Day'));
    expect(value('Single')).toBe(value('Day').slice(0, 4));
    expectWithin(Date.parse(value('LastWeek')), window, -7 * DAY);
    expectWithin(Date.parse(value('Later')), window, 90 * 60_000);
  });

  test("$localDatetime formats in the process's time zone", async () => {
    const window = await send(
      {
        Iso: '{{$localDatetime iso8601}}',
        Rfc: '{{$localDatetime rfc1123}}',
        Offset: '{{$localDatetime "Z"}}',
        Tomorrow: '{{$localDatetime iso8601 1 d}}',
      },
      {},
      { TZ: 'Asia/Kolkata' },
    );
    const { value } = window;
    // REST Client writes local ISO 8601 as dayjs' default format: seconds, no milliseconds.
    expect(value('Iso')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+05:30$/);
    expectWithin(Date.parse(value('Iso')), window);
    expect(value('Rfc')).toMatch(/ \+0530$/);
    expectWithin(Date.parse(value('Rfc')), window);
    expect(value('Offset')).toBe('+05:30');
    expectWithin(Date.parse(value('Tomorrow')), window, DAY);
  });

  test('$randomInt (max excluded) and $random.integer (b included) stay in range', async () => {
    const headers: Record<string, string> = { Default: '{{$randomInt}}', Pinned: '{{$randomInt 7 8}}', JbDefault: '{{$random.integer}}' };
    for (let i = 0; i < 12; i++) {
      headers[`Int${i}`] = '{{$randomInt -3 3}}';
      headers[`Jb${i}`] = '{{$random.integer(1, 2)}}';
    }
    const { value } = await send(headers);
    expect(Number(value('Default'))).toBeGreaterThanOrEqual(0);
    expect(Number(value('Default'))).toBeLessThanOrEqual(1000);
    expect(value('Pinned')).toBe('7');
    expect(Number(value('JbDefault'))).toBeLessThanOrEqual(1000);
    for (let i = 0; i < 12; i++) {
      expect(value(`Int${i}`)).toMatch(/^-?\d+$/);
      expect(Number(value(`Int${i}`))).toBeGreaterThanOrEqual(-3);
      expect(Number(value(`Int${i}`))).toBeLessThan(3);
      expect(['1', '2']).toContain(value(`Jb${i}`));
    }
  });

  test('$random.integer(a, b) reaches b', async () => {
    // 24 draws from {5, 6}: missing 6 every time by chance has probability 2^-24.
    const headers: Record<string, string> = {};
    for (let i = 0; i < 24; i++) headers[`Jb${i}`] = '{{$random.integer(5,6)}}';
    const { value } = await send(headers);
    expect(Object.keys(headers).map(value)).toContain('6');
  });

  test('$random.float, alphabetic, alphanumeric, hexadecimal and email', async () => {
    const { value } = await send({
      Float: '{{$random.float(1.5, 2)}}',
      Alpha: '{{$random.alphabetic(12)}}',
      Alnum: '{{$random.alphanumeric(20)}}',
      Hex: '{{$random.hexadecimal(16)}}',
      Email: '{{$random.email}}',
    });
    const float = Number(value('Float'));
    expect(float).toBeGreaterThanOrEqual(1.5);
    expect(float).toBeLessThan(2);
    expect(value('Alpha')).toMatch(/^[A-Za-z]{12}$/);
    expect(value('Alnum')).toMatch(/^[A-Za-z0-9_]{20}$/);
    expect(value('Hex')).toMatch(/^[0-9a-f]{16}$/);
    expect(value('Email')).toMatch(/^[a-z][a-z0-9]{9}@example\.com$/);
  });

  test('$processEnv reads the environment the CLI was started with; $dotenv reads .env beside the file', async () => {
    const { value } = await send(
      { Env: '{{$processEnv HTTPRUN_TEST_VALUE}}', Dot: '{{$dotenv DOT_VALUE}}', RootDot: '{{$dotenv ROOT_ONLY}}' },
      { 'sub/.keep': '', '.env': 'DOT_VALUE=from-dotenv\nROOT_ONLY=from-root\n' },
      { HTTPRUN_TEST_VALUE: 'from-process' },
    );
    expect(value('Env')).toBe('from-process');
    expect(value('Dot')).toBe('from-dotenv');
    expect(value('RootDot')).toBe('from-root');
  });

  test("httpyac's $prompt and -askonce prompts take their $value: default; JetBrains' one-argument $random.integer(to)", async () => {
    const { value } = await send({
      Prompt: '{{$prompt name? $value: ada}}',
      Once: '{{$input-askonce input app? $value: foo}}',
      Pick: '{{$pick-askonce select app? $value: foo,bar}}',
      Upto: '{{$random.integer(3)}}',
    });
    expect([value('Prompt'), value('Once'), value('Pick')]).toEqual(['ada', 'foo', 'foo']);
    expect(['0', '1', '2', '3']).toContain(value('Upto'));
  });

  test('the .env beside a nested request file wins over the root .env for $dotenv', async () => {
    const root = project({
      'api/d.http': `GET ${server.url}/x\nX-Dot: {{$dotenv WHO}}\nX-Root: {{$dotenv ROOT_ONLY}}\n`,
      'api/.env': 'WHO=beside\n',
      '.env': 'WHO=root\nROOT_ONLY=root\n',
    });
    const { code } = await runCli(['api/d.http'], { cwd: root });
    expect(code).toBe(0);
    expect(server.requests[0]?.headers['x-dot']).toBe('beside');
    expect(server.requests[0]?.headers['x-root']).toBe('root');
  });

  test('dynamic values in a URL and a body; a file variable holding one is evaluated where used', async () => {
    const root = project({
      'd.http': [
        '@id = {{$random.hexadecimal(8)}}',
        `POST ${server.url}/items/{{id}}?ts={{$timestamp}}`,
        'Content-Type: application/json',
        '',
        '{"id": "{{id}}", "n": {{$randomInt 1 2}}}',
        '',
      ].join('\n'),
    });
    const { code } = await runCli(['d.http'], { cwd: root });
    expect(code).toBe(0);
    const [request] = server.requests;
    const match = /^\/items\/([0-9a-f]{8})\?ts=\d{10}$/.exec(request!.url);
    expect(match).not.toBeNull();
    const body = JSON.parse(request!.body.toString());
    expect(body.n).toBe(1);
    expect(body.id).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('dynamic variable errors are located and stop the file before sending', () => {
  test('an unset $processEnv, a missing $dotenv, an unknown name and a bad offset, all at once', async () => {
    const root = project({
      'd.http': [
        `GET ${server.url}/x`,
        'X-A: {{$processEnv HTTPRUN_SURELY_UNSET}}',
        'X-B: {{$dotenv NOPE}}',
        'X-C: {{$uuidd}}',
        'X-D: {{$timestamp 3 fortnights}}',
        '',
      ].join('\n'),
    });
    const { code, stdout, stderr } = await runCli(['d.http'], { cwd: root, env: { HTTPRUN_SURELY_UNSET: undefined } });
    const out = stdout + stderr;
    expect(code).toBe(2);
    expect(out).toMatch(/d\.http:2:\d+.*\$processEnv HTTPRUN_SURELY_UNSET: "HTTPRUN_SURELY_UNSET" is not set in the process environment/);
    expect(out).toMatch(/d\.http:3:\d+.*\$dotenv NOPE: "NOPE" is not defined in a \.env file/);
    expect(out).toMatch(/d\.http:4:\d+.*\$uuidd/);
    expect(out).toMatch(/d\.http:5:\d+.*\$timestamp/);
    expect(server.requests).toHaveLength(0);
  });
});
