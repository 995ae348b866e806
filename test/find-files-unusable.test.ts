import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { findFiles } from '../src/run/find-files.js';
import { run } from '../src/run/run.js';
import { project, runCli } from './helpers/cli.js';

/**
 * A path the user named that exists but cannot be run (a FIFO, a broken symbolic link, a link loop):
 * the name was right, so "no .http or .rest file matches" sent the user looking for a typo. And a FIFO
 * must never be opened for reading: that blocks until a writer comes, so a run would hang.
 */

// mkfifo and symbolic links as a user makes them; Windows has neither in this form.
const posix = process.platform !== 'win32';

function fixture(): string {
  const root = project({ 'ok.http': 'GET http://127.0.0.1:9/\n' });
  execFileSync('mkfifo', [join(root, 'f.http')]);
  symlinkSync('nowhere.http', join(root, 'dangling.http'));
  symlinkSync('loop-b.http', join(root, 'loop-a.http'));
  symlinkSync('loop-a.http', join(root, 'loop-b.http'));
  return root;
}

describe.runIf(posix)('an explicit path that is not a regular file', () => {
  test('findFiles says what each one is, and none of them is "unmatched"', async () => {
    const root = fixture();
    const found = await findFiles(['f.http', 'dangling.http', 'loop-a.http', 'missing.http'], root);
    expect(found.files).toEqual([]);
    expect(found.unusable).toEqual([
      { input: 'f.http', reason: 'is not a regular file (a FIFO)' },
      { input: 'dangling.http', reason: 'is a broken symbolic link' },
      { input: 'loop-a.http', reason: 'is a symbolic link loop' },
    ]);
    // A path with nothing there keeps its message.
    expect(found.unmatched).toEqual(['missing.http']);
  });

  test('a folder walk still skips a FIFO in silence (only a named path is reported)', async () => {
    const root = fixture();
    const found = await findFiles(['.'], root);
    expect(found.files.map((path) => path.slice(root.length + 1))).toEqual(['ok.http']);
    expect(found.unusable).toEqual([]);
  });

  test('the CLI names the file and what it is, exits 2 and does not hang on the FIFO', async () => {
    const root = fixture();
    for (const [path, message] of [
      ['f.http', 'f.http is not a regular file (a FIFO)'],
      ['dangling.http', 'dangling.http is a broken symbolic link'],
      ['loop-a.http', 'loop-a.http is a symbolic link loop'],
    ]) {
      // A FIFO opened for reading would block: the timeout kills the run, and code is then null.
      const result = await runCli([path!], { cwd: root, timeoutMs: 15_000 });
      expect(result.code).toBe(2);
      expect(result.stdout).toContain(`${path}\n  ✗ ${path} did not run: ${message}\n\n0 requests:`);
      expect(result.stdout).not.toContain('no .http or .rest file matches');
      expect(result.stderr).toBe('');
    }
  });

  test('httprun check and watch say the same on stderr', async () => {
    const root = fixture();
    const checked = await runCli(['check', 'f.http', 'dangling.http', 'loop-a.http'], { cwd: root, timeoutMs: 15_000 });
    expect(checked.code).toBe(2);
    expect(checked.stderr).toBe(
      'httprun: f.http is not a regular file (a FIFO)\n' +
        'httprun: dangling.http is a broken symbolic link\n' +
        'httprun: loop-a.http is a symbolic link loop\n',
    );
    expect(checked.stdout).toBe('0 files checked: 0 clean, 3 errors, 0 warnings\n');
    const watched = await runCli(['watch', 'f.http'], { cwd: root, timeoutMs: 15_000 });
    expect(watched.code).toBe(2);
    expect(watched.stderr).toBe('httprun: f.http is not a regular file (a FIFO)\n');
    expect(watched.stdout).toBe('');
  });

  test('the library run() reports it as a file that did not run', async () => {
    const root = fixture();
    const result = await run(['f.http'], { cwd: root });
    expect(result.files).toEqual([{ file: 'f.http', error: 'f.http is not a regular file (a FIFO)', requests: [] }]);
  });
});
