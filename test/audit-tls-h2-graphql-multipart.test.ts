// Audit h42: what the README and SPEC promise about TLS, HTTP/2, GraphQL and multipart, tried
// through the real CLI against real local servers (node:http, node:https, node:http2).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { runCleanups } from './fixtures/execute/harness.js';
import { project, runCli } from './helpers/cli.js';
import { serverPerTest } from './helpers/server.js';

afterEach(runCleanups);
const servers = serverPerTest();

interface ReportRequest {
  name: string;
  outcome: string;
  error: string | null;
}

const requestsOf = (root: string, name = 'r.json'): ReportRequest[] =>
  (JSON.parse(readFileSync(join(root, name), 'utf8')) as { files: { requests: ReportRequest[] }[] }).files.flatMap((file) => file.requests);

describe('GraphQL', () => {
  test('a POST body is GraphQL by the shape of an operation: a form `query=…` or text starting with the word is sent as written', async () => {
    const server = await servers.recording();
    const root = project({
      'g.http': [
        `### form\nPOST ${server.url}/form\n\nquery=hello&limit=10\n`,
        `### text\nPOST ${server.url}/text\n\nquery the users table\n`,
        `### anonymous\nPOST ${server.url}/anonymous\n\nquery { me { id } }\n`,
        `### with variables\nPOST ${server.url}/variables\n\nquery ($id: ID) { user(id: $id) { name } }\n\n{"id": "7"}\n`,
        `### named, with a directive\nPOST ${server.url}/named\nContent-Type: application/json\n\nmutation Save @live {\n  save { id }\n}\n`,
      ].join('\n'),
    });
    const run = await runCli(['g.http'], { cwd: root });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const sent = server.requests.map((request) => [request.url, request.headers['content-type'] ?? null, request.body.toString()]);
    expect(sent).toEqual([
      ['/form', null, 'query=hello&limit=10'],
      ['/text', null, 'query the users table'],
      ['/anonymous', 'application/json', '{"query":"query { me { id } }"}'],
      ['/variables', 'application/json', '{"query":"query ($id: ID) { user(id: $id) { name } }","variables":{"id":"7"}}'],
      ['/named', 'application/json', '{"query":"mutation Save @live {\\n  save { id }\\n}","operationName":"Save"}'],
    ]);
  });

  test('Content-Type: application/graphql means the query text itself: sent as written, not wrapped in JSON under that header', async () => {
    const server = await servers.recording();
    const root = project({ 'g.http': `POST ${server.url}/graphql\nContent-Type: application/graphql\n\nquery Me { me { id } }\n` });
    const run = await runCli(['g.http'], { cwd: root });
    expect(run.code).toBe(0);
    expect(server.requests.map((request) => [request.headers['content-type'], request.body.toString()])).toEqual([
      ['application/graphql', 'query Me { me { id } }'],
    ]);
  });
});
