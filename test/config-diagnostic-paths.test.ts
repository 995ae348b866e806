import { join } from 'node:path';
import { expect, test } from 'vitest';
import { project, runCli } from './helpers/cli.js';

// Config diagnostics name their file as request files are named: relative to the working directory.

const files = {
  'api/a.http': 'GET http://127.0.0.1:9/x\n',
  'api/http-client.env.json': '{\n  "dev": {\n    "a": 1,\n  }\n}\n',
};

test('a malformed env file beside the request is shown relative to the working directory', async () => {
  const root = project(files);
  const { code, stdout } = await runCli(['api/a.http'], { cwd: root });
  expect(code).toBe(2);
  expect(stdout).toContain('\napi/http-client.env.json:4:3: error: http-client.env.json is not valid JSON: trailing comma before "}" [config/invalid-json]\n');
  expect(stdout).toContain('api/a.http did not run: api/http-client.env.json:4:3: http-client.env.json is not valid JSON');
  expect(stdout).not.toContain(root);
});

test('from the request folder, and for an unknown environment too', async () => {
  const root = project(files);
  const { code, stdout } = await runCli(['a.http', '--env', 'prod'], { cwd: join(root, 'api') });
  expect(code).toBe(2);
  expect(stdout).toContain('\nhttp-client.env.json:4:3: error: http-client.env.json is not valid JSON');
  expect(stdout).toContain('\nhttp-client.env.json:1:1: error: unknown environment "prod" (--env prod): none is defined in http-client.env.json [config/unknown-environment]\n');
  expect(stdout).not.toContain(root);
});

test('an httprun.yaml above the working directory is shown with ../', async () => {
  const root = project({ 'httprun.yaml': 'environments:\n  dev: {}\nenv: qa\n', 'api/a.http': 'GET http://127.0.0.1:9/x\n' });
  const { code, stdout } = await runCli(['a.http'], { cwd: join(root, 'api') });
  expect(code).toBe(2);
  expect(stdout).toContain('\n../httprun.yaml:3:6: error: unknown environment "qa" (env: qa in httprun.yaml); defined: dev [config/unknown-environment]\n');
  expect(stdout).not.toContain(root);
});
