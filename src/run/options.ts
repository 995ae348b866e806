/** Everything a run can be told, already validated (durations in ms, sizes in bytes). */
export interface RunOptions {
  cwd: string;
  env: string | null;
  vars: Record<string, string>;
  /** The process environment: secrets, $processEnv, proxies. Read in the CLI and passed down. */
  processEnv: Record<string, string | undefined>;
  names: string[];
  lines: number[];
  tags: string[];
  jobs: number;
  shard: { index: number; total: number } | null;
  bail: boolean;
  retry: number | null;
  retryInterval: number | null;
  timeout: number | null;
  connectionTimeout: number | null;
  maxRedirects: number | null;
  maxBody: number | null;
  followRedirects: boolean;
  insecure: boolean;
  http2: boolean;
  caCert: string | null;
  dryRun: boolean;
  verbose: boolean;
  /** Keep response bodies for verbose output and the HTML report (else drained when nothing reads them). */
  captureBodies: boolean;
  /** Called with the current time; tests fix it. */
  now: () => Date;
  signal?: AbortSignal;
}

export const DEFAULTS = {
  timeout: 30_000,
  connectionTimeout: 10_000,
  maxRedirects: 20,
  maxBody: 64 * 1024 * 1024,
  retry: 0,
  retryInterval: 1_000,
} as const;

export function defaultRunOptions(overrides: Partial<RunOptions> = {}): RunOptions {
  return {
    cwd: process.cwd(),
    env: null,
    vars: {},
    processEnv: process.env,
    names: [],
    lines: [],
    tags: [],
    jobs: 1,
    shard: null,
    bail: false,
    retry: null,
    retryInterval: null,
    timeout: null,
    connectionTimeout: null,
    maxRedirects: null,
    maxBody: null,
    followRedirects: true,
    insecure: false,
    http2: false,
    caCert: null,
    dryRun: false,
    verbose: false,
    captureBodies: false,
    now: () => new Date(),
    ...overrides,
  };
}
