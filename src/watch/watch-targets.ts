import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isDynamicPattern } from 'tinyglobby';
import { CONFIG_FILE_NAME, DOTENV_FILE_NAME, ENV_FOLDER_NAME, PRIVATE_ENV_FILE_NAME, PUBLIC_ENV_FILE_NAME } from '../config/environment.js';
import { pathKind } from '../config/file-cache.js';
import { HTTPYAC_CONFIG_FILE_NAME } from '../config/httpyac-config.js';
import { findProjectRoot, searchDirectories } from '../config/project-root.js';
import { VSCODE_SETTINGS_FILE } from '../config/vscode-settings.js';

/**
 * The paths the watcher watches for `httprun watch [paths]`: files and directories as given, and for a
 * glob the folder it starts from (chokidar watches no globs; which files match is decided by findFiles).
 */
export function watchTargets(paths: readonly string[], cwd: string): string[] {
  const targets = (paths.length ? paths : ['.']).map((path) => {
    if (!isDynamicPattern(path)) return resolve(cwd, path);
    const segments = path.split(/[\\/]/);
    const fixed: string[] = [];
    for (const segment of segments) {
      if (isDynamicPattern(segment)) break;
      fixed.push(segment);
    }
    return resolve(cwd, fixed.join('/') || '.');
  });
  return [...new Set(targets)];
}

const CONFIG_NAMES = new Set([CONFIG_FILE_NAME, PUBLIC_ENV_FILE_NAME, PRIVATE_ENV_FILE_NAME, DOTENV_FILE_NAME, HTTPYAC_CONFIG_FILE_NAME]);

/** Whether loadEnvironment would read a file of this name (SPEC §4). */
export function isConfigFile(path: string): boolean {
  // `.env.NAME` and httpyac's `NAME.env` are read under --env NAME; a changed `.httpyac.json` was re-run with its cached old values.
  const name = basename(path);
  return CONFIG_NAMES.has(name) || /^\.env\.[\w-]+$/.test(name) || /^[\w-]+\.env$/.test(name) || path.endsWith(sep + VSCODE_SETTINGS_FILE);
}

/**
 * The folders in which a request file looks for config files: its own, up to the project root.
 * Watching them, config files there or not, means a new env file above the watched folder is seen.
 */
export function configFolders(requestFile: string, cwd: string): string[] {
  const directory = dirname(requestFile);
  // httpyac's `env/` folder beside each of them is read too, when it is there.
  return searchDirectories(directory, findProjectRoot(directory, cwd)).flatMap((folder) => {
    const envFolder = join(folder, ENV_FOLDER_NAME);
    return pathKind(envFolder) === 'directory' ? [folder, envFolder] : [folder];
  });
}

/** The folder whose request files (and those below it) a config file at `path` can affect. */
export function configScope(path: string): string {
  const folder = dirname(path);
  return basename(folder) === ENV_FOLDER_NAME ? dirname(folder) : folder;
}

/** Whether `path` is `folder` or inside it. */
export function isWithin(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * What the watcher skips inside a watched folder, as `run` does when it searches one: node_modules
 * and dot-folders (dot-files such as `.env` are watched). Paths added on purpose are never skipped.
 */
export function isSkipped(path: string, targets: readonly string[], isDirectory: boolean): boolean {
  for (const target of targets) {
    if (!isWithin(path, target)) continue;
    const segments = relative(target, path).split(sep).filter(Boolean);
    return segments.some((segment, index) => {
      if (segment === 'node_modules') return true;
      const folder = index < segments.length - 1 || isDirectory;
      return folder && segment.startsWith('.');
    });
  }
  return false;
}
