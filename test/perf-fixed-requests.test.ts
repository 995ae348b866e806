import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRunOptions } from '../src/run/options.js';
import { checkFile, NO_SELECTION } from '../src/run/check-file.js';
import { run } from '../src/run/run.js';
import { serve } from './helpers/server.js';

/** Which requests the static pass marks as sendable as rendered (the run then skips rendering them again). */
async function fixedNames(text: string, processEnv: Record<string, string> = {}): Promise<string[]> {
  const cwd = mkdtempSync(join(tmpdir(), 'httprun-fixed-'));
  writeFileSync(join(cwd, 'body.json'), '{"a":1}');
  const options = defaultRunOptions({ cwd, processEnv });
  const checked = await checkFile({ path: join(cwd, 'a.http'), display: 'a.http', text }, options, NO_SELECTION);
  return checked.requests.filter((request) => checked.fixed?.has(request)).map((request) => request.name);
}

describe('static renders reused by the run', () => {
  it('only requests built from text, file variables, --var and the environment are fixed', async () => {
    const names = await fixedNames(
      [
        '@host = http://127.0.0.1:1',
        '@id = {{$uuid}}',
        '',
        '### plain',
        'GET {{host}}/a',
        '',
        '### dynamic',
        'GET {{host}}/{{$randomInt}}',
        '',
        '### dynamic through a variable',
        'GET {{host}}/{{id}}',
        '',
        '### secret',
        'GET {{host}}/b',
        'Authorization: <<TOKEN>>',
        '',
        '### reference',
        'GET {{host}}/{{plain.response.body.$.id}}',
        '',
        '### script-set',
        'GET {{host}}/{{fromScript}}',
        '',
        '> {% client.global.set("fromScript", "1"); %}',
        '',
        '### body file',
        'POST {{host}}/c',
        '',
        '< ./body.json',
      ].join('\n'),
      { TOKEN: 'abc' },
    );
    expect(names).toEqual(['plain']);
  });

  it('a request that looks fixed still sees a value a script set under a computed name (the render is not reused then)', async () => {
    const server = await serve((_request, response) => response.end('{"ok":true}'));
    try {
      const text = [
        `@host = ${server.url}`,
        '@path = file-value',
        '',
        '### first',
        'GET {{host}}/first',
        '',
        // A computed name: the static pass cannot see which variable this sets.
        '> {% const name = ["pa", "th"].join(""); client.global.set(name, "script-value"); %}',
        '',
        '### second',
        'GET {{host}}/{{path}}',
      ].join('\n');
      const cwd = mkdtempSync(join(tmpdir(), 'httprun-fixed-'));
      const result = await run({ file: join(cwd, 'a.http'), text }, { cwd, processEnv: {} });
      expect(result.summary.exitCode).toBe(0);
      expect(server.requests.map((request) => request.url)).toEqual(['/first', '/script-value']);
    } finally {
      await server.close();
    }
  });
});
