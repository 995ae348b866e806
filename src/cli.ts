#!/usr/bin/env node
import { main } from './cli/main.js';

const debug = process.argv.includes('--debug');
// The first signal stops the command gracefully (the abort reason names it: run exits 130/143, watch 0);
// a second one exits at once.
const controller = new AbortController();
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(code);
    controller.abort(signal);
  });
}

function internalError(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`httprun: internal error: ${message}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('(this is a bug in httprun; run again with --debug to see where it happened)\n');
  process.exit(2);
}
// A closed pipe (`httprun ... | head`) is the reader's choice, not a bug.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    internalError(error);
  });
}
process.on('uncaughtException', internalError);
process.on('unhandledRejection', internalError);

main({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stdout.isTTY),
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  internalError,
);
