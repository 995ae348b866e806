import { join } from 'node:path';
import { expect, test } from 'vitest';
import { project } from './helpers/cli.js';
import { configFolders, isConfigFile, isSkipped, isWithin, watchTargets } from '../src/watch/watch-targets.js';

test('targets: files and folders as given, a glob from its fixed folder, the working directory by default', () => {
  expect(watchTargets([], '/p')).toEqual(['/p']);
  expect(watchTargets(['api', 'users.http', '/abs/x.http'], '/p')).toEqual(['/p/api', '/p/users.http', '/abs/x.http']);
  expect(watchTargets(['api/**/*.http', 'api/v*/x.http', '*.http'], '/p')).toEqual(['/p/api', '/p']);
});

test('skipped inside a watched folder: node_modules and dot-folders, not dot-files such as .env', () => {
  const targets = ['/p'];
  expect(isSkipped('/p/node_modules/x/a.http', targets, false)).toBe(true);
  expect(isSkipped('/p/.git', targets, true)).toBe(true);
  expect(isSkipped('/p/.venv/lib/a.http', targets, false)).toBe(true);
  expect(isSkipped('/p/.env', targets, false)).toBe(false);
  expect(isSkipped('/p/api/users.http', targets, false)).toBe(false);
  expect(isSkipped('/p', targets, true)).toBe(false);
  // A target that is itself a dot-folder is watched: the user named it.
  expect(isSkipped('/p/.http/a.http', ['/p/.http'], false)).toBe(false);
  expect(isSkipped('/elsewhere/.cache/body.json', targets, false)).toBe(false);
});

test('isWithin: the folder itself and below, not a sibling sharing a prefix', () => {
  expect(isWithin('/p/api', '/p/api')).toBe(true);
  expect(isWithin('/p/api/x.http', '/p/api')).toBe(true);
  expect(isWithin('/p/apis/x.http', '/p/api')).toBe(false);
  expect(isWithin('/p', '/p/api')).toBe(false);
});

test('config files are the names loadEnvironment reads', () => {
  for (const name of ['httprun.yaml', 'http-client.env.json', 'http-client.private.env.json', '.env', '.env.local', '.httpyac.json', '.vscode/settings.json']) {
    expect(isConfigFile(`/p/${name}`)).toBe(true);
  }
  for (const name of ['httprun.yml', '.env.local.bak', 'env.json', 'http-client.env.json.bak', 'settings.json']) {
    expect(isConfigFile(`/p/${name}`)).toBe(false);
  }
});

test('config folders: from the request file up to the project root, nearest first', () => {
  const root = project({ 'api/v2/items.http': 'GET http://127.0.0.1:1/\n' });
  expect(configFolders(join(root, 'api/v2/items.http'), root)).toEqual([join(root, 'api/v2'), join(root, 'api'), root]);
});
