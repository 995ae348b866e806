// httpyac's GraphQL fragments: `fragment Name on Type { ... }` written outside request bodies is
// appended to a query that spreads `...Name` (src/run/prepare-request.ts), on a real server.
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { run } from '../src/index.js';
import { project } from './helpers/cli.js';
import { serverPerTest } from './helpers/server.js';

const servers = serverPerTest();

async function send(text: (url: string) => string, vars: Record<string, string> = {}) {
  const server = await servers.recording();
  const root = project({ 'a.http': text(server.url) });
  const result = await run([join(root, 'a.http')], { cwd: root, processEnv: {}, vars });
  const bodies = server.requests.map((request) => JSON.parse(request.body.toString()) as { query: string });
  return { result, bodies, root };
}

const parts = 'fragment Parts on Rocket {\n  name\n  ...Engine\n}';
const engine = 'fragment Engine on Rocket { thrust(unit: "{{unit}}") }';
const unused = 'fragment Unused on Rocket { id }';

test('the fragments a query spreads are appended in file order, also those they spread; variables are substituted', async () => {
  const text = (url: string) =>
    `${engine}\n\n${unused}\n\n###\n${parts}\n\nPOST ${url}/graphql\n\nquery Launch {\n  rocket { ...Parts }\n}\n\n{"limit": 1}\n`;
  const { result, bodies } = await send(text, { unit: 'kN' });
  expect(result.summary.exitCode).toBe(0);
  expect(bodies).toEqual([
    {
      query: `query Launch {\n  rocket { ...Parts }\n}\n${engine.replace('{{unit}}', 'kN')}\n${parts}`,
      variables: { limit: 1 },
      operationName: 'Launch',
    },
  ]);
});

test('a fragment written after the request is appended too (httpyac collects them per file)', async () => {
  const text = (url: string) => `POST ${url}/graphql\n\nquery { ...Unused }\n\n###\n${unused}\n`;
  const { bodies } = await send(text);
  expect(bodies.map((body) => body.query)).toEqual([`query { ...Unused }\n${unused}`]);
});

test('a fragment the query defines itself, an inline fragment and a query without spreads get nothing appended', async () => {
  const text = (url: string) =>
    [
      unused,
      '',
      `POST ${url}/graphql`,
      '',
      'query { ...Unused }',
      'fragment Unused on Rocket { id name }',
      '',
      '###',
      `POST ${url}/graphql`,
      '',
      'query { node { ... on Rocket { id } } }',
      '',
    ].join('\n');
  const { bodies } = await send(text);
  expect(bodies.map((body) => body.query)).toEqual(['query { ...Unused }\nfragment Unused on Rocket { id name }', 'query { node { ... on Rocket { id } } }']);
});

test('an undefined variable in a spread fragment is reported at its line, and nothing is sent', async () => {
  const text = (url: string) => `${engine}\n\nPOST ${url}/graphql\n\nquery { ...Engine }\n`;
  const server = await servers.recording();
  const root = project({ 'a.http': text(server.url) });
  const messages: string[] = [];
  const result = await run([join(root, 'a.http')], {
    cwd: root,
    processEnv: {},
    reporters: [{ onEvent: (event) => void (event.type === 'diagnostics' && messages.push(...event.diagnostics.map((d) => `${d.span.start.line}: ${d.message}`))), onEnd() {} }],
  });
  expect(result.summary.exitCode).toBe(2);
  expect(server.requests).toEqual([]);
  expect(messages.join('\n')).toMatch(/^1: undefined variable.*unit/m);
});
