import { join } from 'node:path';
import pc from 'picocolors';
import { demoSecrets, startDemoServer } from '../demo/server.js';
import type { CliArgs } from './args.js';
import { packageRoot } from '../package-root.js';
import { colorEnabled, runCommand, type Io } from './main.js';

const REQUESTS = join(packageRoot(), 'requests');

/** Starts the bundled demo API on 127.0.0.1 and runs requests/ against it: a first run with no network. */
export async function demo(args: CliArgs, io: Io): Promise<number> {
  const server = await startDemoServer();
  const c = pc.createColors(colorEnabled(args, io));
  io.stdout(`${c.dim(`demo API listening on ${server.url}; running ${REQUESTS}`)}\n`);
  try {
    return await runCommand(
      { ...args, paths: args.paths.length ? args.paths : [REQUESTS], vars: { baseUrl: server.url, ...args.vars } },
      { ...io, env: { ...io.env, ...demoSecrets } },
    );
  } finally {
    await server.close();
  }
}
