import { basename, dirname, join, resolve } from 'node:path';
import { diagnostic, type Diagnostic, type Span } from '../diagnostics.js';
import { readDotenvFile } from './dotenv-file.js';
import { mergeEnvJsonFiles, readEnvJsonFile, type EnvJsonFile } from './env-json-file.js';
import { overrideHeaders } from './override-headers.js';
import { HTTPYAC_CONFIG_FILE_NAME, readHttpyacConfigFile } from './httpyac-config.js';
import { pathKind } from './file-cache.js';
import { ANY_HOST, readYamlConfigFile, type ProjectConfig } from './project-config.js';
import { findAll, findNearest, findProjectRoot, searchDirectories } from './project-root.js';
import { displayDiagnostic, fileStartSpan } from './text-position.js';
import { readVscodeSettingsFile, VSCODE_SETTINGS_FILE, VSCODE_SETTINGS_LABEL } from './vscode-settings.js';

/**
 * Everything a request file's variables can come from, before its own file variables, request
 * references and `--var`. The resolver applies the precedence (SPEC §4):
 * `--var` > request references > file variables > private > public > shared.
 */
export interface Environment {
  /** The selected environment: `--env`, else httprun.yaml's `env:`, else null (only `$shared` applies). */
  name: string | null;
  /**
   * `$shared` of .vscode/settings.json, .httpyac.json, http-client.env.json (with kulala's `$kulalaShared`
   * below it), then httprun.yaml (the last wins on the same key).
   */
  shared: Record<string, string>;
  /** The selected environment of .vscode/settings.json, .httpyac.json, http-client.env.json, then httprun.yaml (the last wins). */
  public: Record<string, string>;
  /** http-client.private.env.json: its `$kulalaShared`, its `$shared`, then the selected environment. */
  private: Record<string, string>;
  /**
   * Every dotenv file from the project root down to the request file's folder, each folder's `env/`
   * after it: `.env`, `<name>.env`, `.env.<name>` (the later wins, as in httpyac).
   */
  dotenv: Record<string, string>;
  config: ProjectConfig;
  /** Every environment name defined anywhere, for "unknown environment" messages and completion. */
  available: string[];
  /** Absolute paths of every file read (watch mode re-runs on change). */
  files: string[];
}

export const CONFIG_FILE_NAME = 'httprun.yaml';
export const PUBLIC_ENV_FILE_NAME = 'http-client.env.json';
export const PRIVATE_ENV_FILE_NAME = 'http-client.private.env.json';
export const DOTENV_FILE_NAME = '.env';
/** httpyac's env folder (its `envDirName` setting, `env` unless changed): env files inside count as the folder's own. */
export const ENV_FOLDER_NAME = 'env';
/** An environment name that may be part of a file name (`.env.dev`, `dev.env`). */
const FILE_ENV_NAME = /^[\w-]+$/;

export function loadEnvironment(
  requestFile: string,
  options: { envName: string | null; cwd: string },
): { environment: Environment; diagnostics: Diagnostic[] } {
  const cwd = resolve(options.cwd);
  const requestPath = resolve(cwd, requestFile);
  const directory = dirname(requestPath);
  const root = findProjectRoot(directory, cwd);
  const directories = searchDirectories(directory, root);
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];

  // httpyac's `env/` folder beside each folder counts as part of it, and wins over it. (A request file
  // inside an `env/` folder would meet that folder twice.)
  const envFileFolders = [...new Set(directories.flatMap((folder) => [join(folder, ENV_FOLDER_NAME), folder]))];

  const yamlPath = findNearest(directories, CONFIG_FILE_NAME);
  const yaml = yamlPath === null ? null : readYamlConfigFile(yamlPath);
  // JetBrains' env files: every one from the request file's folder up to the root, merged (the nearer wins on a key).
  const publicFiles = findAll(envFileFolders, PUBLIC_ENV_FILE_NAME).map(readEnvJsonFile);
  const privateFiles = findAll(envFileFolders, PRIVATE_ENV_FILE_NAME).map(readEnvJsonFile);
  const publicFile = publicFiles.length === 0 ? null : mergeEnvJsonFiles(publicFiles);
  const privateFile = privateFiles.length === 0 ? null : mergeEnvJsonFiles(privateFiles);
  // REST Client's rest-client.environmentVariables: a public source, below http-client.env.json.
  const settingsPath = findNearest(directories, VSCODE_SETTINGS_FILE);
  const settingsFile = settingsPath === null ? null : readVscodeSettingsFile(settingsPath);
  // httpyac's project file: a public source, between REST Client's settings and http-client.env.json.
  const httpyacPath = findNearest(directories, HTTPYAC_CONFIG_FILE_NAME);
  const httpyacFile = httpyacPath === null ? null : readHttpyacConfigFile(httpyacPath);
  for (const file of [yaml, ...publicFiles, ...privateFiles, settingsFile, httpyacFile]) {
    if (file === null) continue;
    files.push(file.path);
    diagnostics.push(...file.diagnostics);
  }

  // Dotenv files, farthest first so that the nearer wins (each folder's `env/` after it). The root
  // counts even when it is not above the request file (no marker: the working directory).
  const dotenvFolders = [...(directories.includes(root) ? [] : [root, join(root, ENV_FOLDER_NAME)]), ...envFileFolders.toReversed()];
  const dotenvPaths = (environmentName: string | null): string[] => {
    // In one folder httpyac reads `.env`, then `<name>.env`, then `.env.<name>` (REST Client's), the later winning.
    const names =
      environmentName !== null && FILE_ENV_NAME.test(environmentName)
        ? [DOTENV_FILE_NAME, `${environmentName}${DOTENV_FILE_NAME}`, `${DOTENV_FILE_NAME}.${environmentName}`]
        : [DOTENV_FILE_NAME];
    return [...new Set(dotenvFolders.flatMap((folder) => names.map((name) => join(folder, name))))].filter((path) => pathKind(path) === 'file');
  };

  // httpyac names an environment by a `.env.NAME` or `NAME.env` file alone.
  const wanted = options.envName ?? yaml?.defaultEnv?.name ?? null;
  const dotenvNamed = wanted !== null && dotenvPaths(wanted).some((path) => basename(path) !== DOTENV_FILE_NAME);
  const available = [
    ...new Set([
      ...(dotenvNamed ? [wanted] : []),
      ...(yaml?.environments.keys() ?? []),
      ...(publicFile?.environments.keys() ?? []),
      ...(settingsFile?.environments.keys() ?? []),
      ...(httpyacFile?.environments.keys() ?? []),
      ...(privateFile?.environments.keys() ?? []),
    ]),
  ];

  // kulala (and many teams) name the environment used by default "default".
  const requested = options.envName ?? yaml?.defaultEnv?.name ?? (available.includes('default') ? 'default' : null);
  let name: string | null = requested;
  if (requested !== null && !available.includes(requested)) {
    const fromFlag = options.envName !== null;
    const span: Span =
      !fromFlag && yaml?.defaultEnv
        ? yaml.defaultEnv.span
        : fileStartSpan(yaml?.path ?? publicFiles[0]?.path ?? privateFiles[0]?.path ?? settingsFile?.path ?? httpyacFile?.path ?? requestPath);
    diagnostics.push(unknownEnvironment(requested, available, fromFlag, span, [yaml, ...publicFiles, ...privateFiles, settingsFile, httpyacFile]));
    name = requested;
  }
  // A `{{$shared name}}` that `$shared` lacks matters only in the environment that is used.
  if (name !== null) diagnostics.push(...(settingsFile?.environments.get(name)?.diagnostics ?? []));

  let dotenv: Record<string, string> = {};
  for (const path of dotenvPaths(name)) {
    const file = readDotenvFile(path);
    files.push(path);
    diagnostics.push(...file.diagnostics);
    dotenv = { ...dotenv, ...file.values };
  }

  const selected = (file: { environments: ReadonlyMap<string, { values: Record<string, string> }> } | null): Record<string, string> =>
    name === null ? {} : (file?.environments.get(name)?.values ?? {});

  const selectedHeaders = (file: EnvJsonFile | null): Record<string, string> | undefined =>
    name === null ? undefined : file?.environments.get(name)?.headers;

  // JetBrains' SSLConfiguration of the selected environment (the private file's over the public one's).
  const ssl = name === null ? undefined : { ...publicFile?.environments.get(name)?.ssl, ...privateFile?.environments.get(name)?.ssl };

  const environment: Environment = {
    name,
    shared: { ...settingsFile?.shared, ...httpyacFile?.shared, ...publicFile?.shared, ...yaml?.shared },
    // httpyac's `$default` holds what applies when no environment is selected.
    public: { ...selected(settingsFile), ...(name === null ? httpyacFile?.unselected : selected(httpyacFile)), ...selected(publicFile), ...selected(yaml) },
    private: { ...privateFile?.shared, ...selected(privateFile) },
    dotenv,
    config: {
      root,
      configFile: yaml?.path ?? null,
      defaultEnv: yaml?.defaultEnv?.name ?? null,
      // Copies: the parsed file is cached and shared by every request file of the run.
      defaults: { ...(ssl?.insecure ? { insecure: true } : {}), ...structuredClone(yaml?.defaults ?? {}) },
      secrets: structuredClone(yaml?.secrets ?? {}),
      clientCertificates: {
        ...(ssl?.certificate ? { [ANY_HOST]: ssl.certificate } : {}),
        ...settingsFile?.certificates,
        ...structuredClone(yaml?.clientCertificates ?? {}),
      },
      ...defaultHeadersOf(
        [settingsFile?.defaultHeaders, httpyacFile?.defaultHeaders, publicFile?.sharedHeaders, selectedHeaders(publicFile)],
        [privateFile?.sharedHeaders, selectedHeaders(privateFile)],
      ),
      ...(yaml?.proxy === undefined ? {} : { proxy: yaml.proxy }),
    },
    available,
    files,
  };
  return { environment, diagnostics: diagnostics.map((d) => displayDiagnostic(d, cwd)) };
}

/**
 * Default headers, the later source winning on a name: REST Client's `rest-client.defaultHeaders`,
 * httpyac's `defaultHeaders`, kulala's `$kulalaDefaultHeaders` of http-client.env.json (`$kulalaShared`'s,
 * then the environment's), then those of http-client.private.env.json — the order of the variables'
 * sources. The private file's values are secrets, as its variables are: their names are listed.
 */
function defaultHeadersOf(
  publicSources: (Record<string, string> | undefined)[],
  privateSources: (Record<string, string> | undefined)[],
): { defaultHeaders?: Record<string, string>; secretDefaultHeaders?: string[] } {
  const headers = overrideHeaders(...publicSources, ...privateSources);
  if (Object.keys(headers).length === 0) return {};
  const secret = Object.keys(overrideHeaders(...privateSources)).map((header) => header.toLowerCase());
  return { defaultHeaders: headers, ...(secret.length > 0 ? { secretDefaultHeaders: secret } : {}) };
}

function unknownEnvironment(
  name: string,
  available: readonly string[],
  fromFlag: boolean,
  span: Span,
  sources: readonly ({ path: string } | null)[],
): Diagnostic {
  const origin = fromFlag ? `--env ${name}` : `env: ${name} in ${CONFIG_FILE_NAME}`;
  const read = sources
    .filter((source) => source !== null)
    .map((source) => (source.path.endsWith(VSCODE_SETTINGS_FILE) ? VSCODE_SETTINGS_LABEL : basename(source.path)))
    .filter((label, index, labels) => labels.indexOf(label) === index);
  if (available.length === 0) {
    const where = read.length === 0 ? `no environment file was found (${CONFIG_FILE_NAME}, ${PUBLIC_ENV_FILE_NAME}, ${HTTPYAC_CONFIG_FILE_NAME} or ${VSCODE_SETTINGS_LABEL})` : `none is defined in ${read.join(', ')}`;
    return diagnostic(
      'error',
      'config/unknown-environment',
      `unknown environment "${name}" (${origin}): ${where}`,
      span,
      read.includes(VSCODE_SETTINGS_LABEL)
        ? `define it under environments: in ${CONFIG_FILE_NAME}, as a top-level key of ${PUBLIC_ENV_FILE_NAME}, or under "rest-client.environmentVariables" in ${VSCODE_SETTINGS_LABEL}`
        : `define it under environments: in ${CONFIG_FILE_NAME}, or as a top-level key of ${PUBLIC_ENV_FILE_NAME}`,
    );
  }
  return diagnostic(
    'error',
    'config/unknown-environment',
    `unknown environment "${name}" (${origin}); defined: ${available.join(', ')}`,
    span,
    `pick one of them with --env NAME`,
  );
}
