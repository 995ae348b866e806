// Wire bytes where a differential run against httpyac 6.16 (the same files sent by both tools to one
// recording server) showed httprun sending something else, and httprun was the one to change. The
// expected bytes are what httpyac put on the wire; httpyac itself is not needed to run these tests.
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { run } from '../src/index.js';
import { project } from './helpers/cli.js';
import { serverPerTest } from './helpers/server.js';

const servers = serverPerTest();

async function send(text: string, files: Record<string, string | Buffer> = {}) {
  const root = project({ 'a.http': text, ...files });
  const result = await run([join(root, 'a.http')], { cwd: root, processEnv: {} });
  return { result, requests: servers.current.requests };
}

// corpus: BridgingIT-GmbH__...Authentication-API.http (`&scope=openid profile email roles`) and
// Seitzal__OpenTab__test__requests.http (`name=Mordor D`): httpyac and REST Client percent-encode
// an inline form body (the `encodeurl` rules), httprun sent the spaces raw.
test('an inline form-urlencoded body is percent-encoded where a form may not carry the character raw', async () => {
  const { url } = await servers.recording();
  const text = [
    `POST ${url}/token`,
    'Content-Type: application/x-www-form-urlencoded',
    '',
    'grant_type=password',
    '&scope=openid profile email roles',
    '&code=[AUTH_CODE] # from the browser',
    '&city=Zürich&quote="x"&pct=100%&kept=a%20b+c|d',
    '',
  ].join('\n');
  const { result, requests } = await send(text);
  expect(result.summary.exitCode).toBe(0);
  expect(requests[0]?.body.toString('latin1')).toBe(
    'grant_type=password&scope=openid%20profile%20email%20roles&code=[AUTH_CODE]%20#%20from%20the%20browser' +
      '&city=Z%C3%BCrich&quote=%22x%22&pct=100%25&kept=a%20b+c|d',
  );
});

test('a form value from a variable is encoded the same way, once', async () => {
  const { url } = await servers.recording();
  const text = [
    '@name = Mordor D',
    `POST ${url}/team`,
    'Content-Type: application/x-www-form-urlencoded',
    '',
    'tabid=2&name={{name}}&already=Mordor%20D',
    '',
  ].join('\n');
  const { requests } = await send(text);
  expect(requests[0]?.body.toString()).toBe('tabid=2&name=Mordor%20D&already=Mordor%20D');
});

test('a form body read from a file (< ./form.txt) is still sent verbatim', async () => {
  const { url } = await servers.recording();
  const text = [`POST ${url}/form`, 'Content-Type: application/x-www-form-urlencoded', '', '< ./form.txt', ''].join('\n');
  const { requests } = await send(text, { 'form.txt': 'a=x y&b="q"' });
  expect(requests[0]?.body.toString()).toBe('a=x y&b="q"');
});

test('a body without a form Content-Type keeps its spaces', async () => {
  const { url } = await servers.recording();
  const { requests } = await send(`POST ${url}/text\nContent-Type: text/plain\n\na=x y&b=1\n`);
  expect(requests[0]?.body.toString()).toBe('a=x y&b=1');
});
