import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { project, runCli, type CliRun } from './cli.js';
import { serve, type Recorded, type TestServer } from './server.js';
import type { ServerResponse } from 'node:http';

// The leak audit's tools (test/audit-secrets.test.ts): run the real CLI with --verbose, every report
// and GitHub annotations against a server that echoes what it received, then search every byte
// written (stdout, stderr, reports, saved files) for each secret in every form it can take.

/** Servers started by startServer, closed after each test of the file that imports this module. */
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

// Characters every encoding treats differently: space, slash, plus, quote, backslash, &, =, non-ASCII.
export const HARD = 'pa55 w/rd+"q\\é&x=1';
export const TOKEN = 'tok_8f3Kq2LmZx9VwR';

/** Every spelling of a value that could reach an output (`users`: Basic credentials `user:value`). */
export function formsOf(value: string, users: string[] = []): string[] {
  const inUrl = (part: 'search' | 'pathname') => {
    const url = new URL('http://x/');
    url[part] = `a${value}`;
    return url[part].slice(2);
  };
  const percent = [
    encodeURIComponent(value),
    encodeURIComponent(value).replace(/%20/g, '+'),
    encodeURI(value),
    inUrl('search'),
    inUrl('pathname'),
    new URLSearchParams({ a: value }).toString().slice(2),
  ];
  // Percent-encoded twice: a URL holding the secret, echoed inside another URL's query.
  const twice = percent.flatMap((form) => [encodeURIComponent(form), encodeURI(form)]);
  const encodings = [value, ...percent, ...twice];
  if (value.length >= 6) {
    encodings.push(
      Buffer.from(value).toString('base64'),
      Buffer.from(value).toString('base64').replace(/=+$/, ''),
      Buffer.from(value).toString('base64url'),
      Buffer.from(value).toString('hex'),
    );
  }
  for (const user of users) encodings.push(Buffer.from(`${user}:${value}`).toString('base64'));
  const forms = new Set<string>();
  for (const form of encodings) {
    const json = JSON.stringify(form).slice(1, -1);
    forms.add(form);
    forms.add(json);
    // A JSON body echoed inside a JSON string: escaped twice.
    forms.add(JSON.stringify(json).slice(1, -1));
    forms.add(form.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;'));
    forms.add(form.replace(/&/g, '&amp;').replace(/"/g, '&#34;'));
    forms.add(json.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;'));
  }
  return [...forms];
}

/** Every file under root, recursively, except the inputs the test wrote. */
export function writtenFiles(root: string, inputs: ReadonlySet<string>): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const relative = prefix ? `${prefix}/${name}` : name;
      if (statSync(path).isDirectory()) walk(path, relative);
      else if (!inputs.has(relative)) found.set(relative, readFileSync(path));
    }
  };
  walk(root, '');
  return found;
}

/** Where each form of each secret occurs in what a run wrote: empty when nothing leaked. */
export function leaks(outputs: Map<string, Buffer | string>, secrets: string[], users: string[] = []): string[] {
  const hits: string[] = [];
  for (const [where, content] of outputs) {
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
    for (const secret of secrets) {
      for (const form of formsOf(secret, users)) {
        for (const encoding of ['utf8', 'latin1'] as const) {
          const at = bytes.indexOf(Buffer.from(form, encoding));
          if (at >= 0) {
            const around = bytes.subarray(Math.max(0, at - 60), at + form.length + 30).toString('utf8');
            hits.push(`${where}: ${JSON.stringify(form)} (${encoding}) in …${JSON.stringify(around)}…`);
          }
        }
      }
    }
  }
  return [...new Set(hits)];
}

export const REPORTS = ['--report-json', 'out/r.json', '--report-junit', 'out/r.xml', '--report-tap', 'out/r.tap', '--report-html', 'out/r.html'];

/** Answers every request with what it received: method, URL, headers and body, as JSON, and a header echo. */
export function echoHandler(request: Recorded, response: ServerResponse): void {
  response.writeHead(200, {
    'content-type': 'application/json',
    'x-echo-url': encodeURI(request.url),
    'x-echo-auth': String(request.headers.authorization ?? ''),
  });
  response.end(JSON.stringify({ method: request.method, url: request.url, headers: request.headers, body: request.body.toString() }));
}

export async function startServer(handler: (request: Recorded, response: ServerResponse) => void | Promise<void> = echoHandler): Promise<TestServer> {
  const server = await serve(handler);
  servers.push(server);
  return server;
}

export interface Audit {
  run: CliRun;
  root: string;
  outputs: Map<string, Buffer | string>;
  hits: string[];
}

/**
 * Runs the CLI on a project with --verbose, every report and GitHub annotations, and returns every
 * place a secret shows. `args` come first (files, flags); `check` runs are given without reports.
 */
export async function audit(
  files: Record<string, string | Buffer>,
  args: string[],
  secrets: string[],
  options: { env?: Record<string, string | undefined>; users?: string[]; reports?: boolean; verbose?: boolean } = {},
): Promise<Audit> {
  const root = project(files);
  const inputs = new Set([...Object.keys(files), 'package.json']);
  const extra = [...(options.verbose === false ? [] : ['--verbose']), ...(options.reports === false ? [] : REPORTS)];
  const run = await runCli([...args, ...extra], { cwd: root, env: { GITHUB_ACTIONS: 'true', ...options.env } });
  const outputs = new Map<string, Buffer | string>([
    ['stdout', run.stdout],
    ['stderr', run.stderr],
  ]);
  for (const [name, bytes] of writtenFiles(root, inputs)) outputs.set(name, bytes);
  return { run, root, outputs, hits: leaks(outputs, secrets, options.users) };
}

export function jsonReport(root: string): { files: { file: string; requests: Record<string, unknown>[] }[] } {
  return JSON.parse(readFileSync(join(root, 'out/r.json'), 'utf8'));
}



/**
 * A server that knows the secrets (it issued them): `/tell…` answers with them in a header and the
 * body, as a config endpoint or an error page might; everything else is echoed (echoHandler).
 */
export function telling(values: string[]): (request: Recorded, response: ServerResponse) => void {
  return (request, response) => {
    if (request.url.startsWith('/tell')) {
      response.writeHead(200, { 'content-type': 'text/plain', 'x-told': values.map(encodeURIComponent).join(',') }).end(`told: ${values.join(' | ')}`);
      return;
    }
    echoHandler(request, response);
  };
}
