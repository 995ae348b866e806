// One fuzz case through parse, the check step and a dry run. Shared by test/fuzz.test.ts (sources)
// and test/fuzz/fuzz.mjs (the build); `lib` supplies parse, checkFile, defaultRunOptions and run.
import { join } from 'node:path';

const EXIT_CODES = new Set([0, 1, 2, 3]);

/**
 * What a result must never hold: signs of a bug rather than of a bad file (run() and the parser
 * catch what they did not expect and say so). A script's own TypeError is the file's, so not here.
 */
const BUG = /internal error|\(a bug\)|\n\s+at \S+ \(/;

function describe(error) {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * Returns the problems found (empty when the case is handled well) and how long each step took.
 * A step that throws, an exit code outside 0..3, a diagnostic without a located span or a message
 * that looks like a crash are problems; errors in the file itself are not.
 */
export async function checkCase(lib, text, { cwd, file = 'fuzz.http' }) {
  const problems = [];
  const ms = { parse: 0, check: 0, run: 0 };

  let started = performance.now();
  try {
    const { ast, diagnostics } = lib.parse(text, { file });
    if (ast === null || typeof ast !== 'object' || !Array.isArray(ast.requests)) problems.push('parse returned no AST');
    for (const diagnostic of diagnostics) {
      if (typeof diagnostic.message !== 'string' || diagnostic.message === '') problems.push(`a diagnostic without a message: ${JSON.stringify(diagnostic)}`);
      const line = diagnostic.span?.start?.line;
      if (!Number.isInteger(line) || line < 1) problems.push(`a diagnostic without a located span: ${diagnostic.code} ${diagnostic.message}`);
      if (BUG.test(diagnostic.message)) problems.push(`parse reported a bug: ${diagnostic.message}`);
    }
  } catch (error) {
    problems.push(`parse threw: ${describe(error)}`);
  }
  ms.parse = performance.now() - started;

  const options = lib.defaultRunOptions({ cwd, processEnv: {}, dryRun: true });
  started = performance.now();
  try {
    const checked = await lib.checkFile({ path: join(cwd, file), display: file, text }, options, { names: [], lines: [], tags: [] });
    for (const diagnostic of checked.diagnostics) {
      if (BUG.test(diagnostic.message)) problems.push(`check reported a bug: ${diagnostic.message}`);
    }
  } catch (error) {
    problems.push(`check threw: ${describe(error)}`);
  }
  ms.check = performance.now() - started;

  started = performance.now();
  try {
    const result = await lib.run([{ file, text }], { cwd, processEnv: {}, dryRun: true, timeout: 2000, connectionTimeout: 1000 });
    if (!EXIT_CODES.has(result.summary.exitCode)) problems.push(`run --dry-run exit code ${result.summary.exitCode}`);
    for (const fileResult of result.files) {
      if (fileResult.error !== null && BUG.test(fileResult.error)) problems.push(`run reported a bug: ${fileResult.error}`);
      if (fileResult.error !== null && fileResult.error.includes('\n')) problems.push(`a file error on several lines: ${fileResult.error}`);
      for (const request of fileResult.requests) {
        if (request.error !== null && BUG.test(request.error)) problems.push(`run reported a bug for ${request.name}: ${request.error}`);
        if (request.error !== null && request.error.includes('\n')) problems.push(`a request error on several lines: ${request.error}`);
      }
    }
  } catch (error) {
    problems.push(`run --dry-run threw: ${describe(error)}`);
  }
  ms.run = performance.now() - started;
  return { problems, ms };
}
