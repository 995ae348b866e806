import { readFileSync } from 'node:fs';

/** Read from package.json once, so `--version` and the User-Agent never drift from the release. */
export const VERSION: string = (() => {
  try {
    const url = new URL('../package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();
