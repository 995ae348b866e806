import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { project, runCli } from './helpers/cli.js';

/**
 * `--shard i/n` through the real CLI (issue 8). Shards are read back from the JSON report of a
 * `--dry-run`, so nothing is sent and no server is needed.
 */

function files(count: number, prefix = 'api/f'): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 1; i <= count; i++) {
    const name = `${prefix}${String(i).padStart(2, '0')}.http`;
    out[name] = `### request ${i}\nGET http://127.0.0.1:9/${i}\n`;
  }
  return out;
}

let reports = 0;

async function shardFiles(root: string, shard: string | null, paths = ['api']): Promise<string[]> {
  // A report of its own per run: runs of the same shard at once must not read each other's half-written file.
  const report = `report-${(shard ?? 'all').replace('/', '-')}-${++reports}.json`;
  const { code, stderr } = await runCli([...paths, '--dry-run', '--report-json', report, ...(shard ? ['--shard', shard] : [])], { cwd: root });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return (JSON.parse(readFileSync(join(root, report), 'utf8')) as { files: { file: string }[] }).files.map((f) => f.file);
}

async function split(root: string, total: number, paths?: string[]): Promise<string[][]> {
  // Separate processes: they may run at once.
  return Promise.all(Array.from({ length: total }, (_, i) => shardFiles(root, `${i + 1}/${total}`, paths)));
}

describe('--shard i/n', () => {
  test('shards 1..3 are disjoint, their union is the whole suite, and each keeps input order', async () => {
    const root = project(files(30));
    const all = await shardFiles(root, null);
    expect(all).toHaveLength(30);
    const shards = await split(root, 3);
    for (const shard of shards) {
      // Thirty files over three shards: none is empty, none takes (nearly) everything.
      expect(shard.length).toBeGreaterThan(3);
      expect(shard.length).toBeLessThan(20);
      expect(shard).toEqual(all.filter((file) => shard.includes(file)));
    }
    const union = shards.flat();
    expect(new Set(union).size).toBe(union.length);
    expect([...union].sort()).toEqual([...all].sort());
  }, 120_000);

  test('the split is the same on every run, however the paths are spelled', async () => {
    const root = project(files(20));
    const first = await split(root, 3);
    const again = await Promise.all([
      shardFiles(root, '2/3'),
      shardFiles(root, '2/3', ['./api/']),
      shardFiles(root, '2/3', ['api/*.http']),
      shardFiles(root, '2/3', [join(root, 'api')]),
    ]);
    for (const shard of again) expect(shard).toEqual(first[1]);
  }, 120_000);

  test('adding files moves no other file between shards', async () => {
    const root = project(files(20));
    const before = await split(root, 4);
    writeFileSync(join(root, 'api', 'f21.http'), 'GET http://127.0.0.1:9/21\n');
    writeFileSync(join(root, 'api', 'a-new-first.http'), 'GET http://127.0.0.1:9/new\n');
    const after = await split(root, 4);
    for (let shard = 0; shard < 4; shard++) {
      const added = after[shard]!.filter((file) => !before[shard]!.includes(file));
      expect(before[shard]!.every((file) => after[shard]!.includes(file))).toBe(true);
      expect(added.every((file) => file === 'api/f21.http' || file === 'api/a-new-first.http')).toBe(true);
    }
    expect(after.flat().sort()).toEqual([...before.flat(), 'api/f21.http', 'api/a-new-first.http'].sort());
  }, 120_000);

  test('a shard that gets no file passes with an empty report; a bad --shard is a usage error', async () => {
    const root = project(files(1));
    const shards = await split(root, 3);
    expect(shards.flat()).toEqual(['api/f01.http']);
    expect(shards.filter((shard) => shard.length === 0)).toHaveLength(2);
    const bad = ['4/3', '0/3', '2', 'a/b'];
    const runs = await Promise.all(bad.map((shard) => runCli(['api', '--shard', shard], { cwd: root })));
    runs.forEach(({ code, stderr }, i) => {
      expect(code).toBe(2);
      expect(stderr).toBe(`httprun: --shard expects i/n with 1 <= i <= n (e.g. 2/3), got "${bad[i]}"\n`);
    });
  }, 120_000);
});
