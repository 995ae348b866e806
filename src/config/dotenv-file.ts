import { basename } from 'node:path';
import { parseEnv } from 'node:util';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { cachedParse } from './file-cache.js';
import { fileStartSpan, indexPositions, stripBom } from './text-position.js';

export interface DotenvFile {
  path: string;
  values: Record<string, string>;
  diagnostics: Diagnostic[];
}

const ASSIGNMENT = /^\s*(?:export\s+)?[A-Za-z_][\w.-]*\s*=\s*(.*)$/;

/**
 * `.env` through Node's own parser. util.parseEnv reports nothing and glues a malformed line onto the next
 * key (`oops\nNEXT=1` becomes one key), so lines that are neither assignments, comments nor inside a
 * multi-line quoted value are reported as warnings and left out before parsing.
 */
export function readDotenvFile(path: string): DotenvFile {
  return cachedParse('dotenv', path, (read) => {
    if ('error' in read) {
      return {
        path,
        values: {},
        diagnostics: [diagnostic('error', 'config/unreadable-file', `cannot read ${path}: ${read.error}`, fileStartSpan(path))],
      };
    }
    const text = stripBom(read.text);
    const positions = indexPositions(path, text);
    const diagnostics: Diagnostic[] = [];
    const kept: string[] = [];
    let openQuote: string | null = null;
    let offset = 0;
    for (const rawLine of text.split('\n')) {
      const line = rawLine.replace(/\r$/, '');
      const lineStart = offset;
      offset += rawLine.length + 1;
      if (openQuote !== null) {
        kept.push(line);
        if (line.includes(openQuote)) openQuote = null;
        continue;
      }
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) {
        kept.push(line);
        continue;
      }
      const assignment = ASSIGNMENT.exec(line);
      if (assignment === null) {
        const start = lineStart + (line.length - line.trimStart().length);
        diagnostics.push(
          diagnostic('warning', 'config/invalid-dotenv-line', `ignored line in ${basename(path)}: expected NAME=value`, positions.span(start, lineStart + line.trimEnd().length)),
        );
        kept.push('');
        continue;
      }
      const value = (assignment[1] ?? '').trim();
      const quote = value[0];
      if ((quote === '"' || quote === "'" || quote === '`') && !value.slice(1).includes(quote)) openQuote = quote;
      kept.push(line);
    }
    const values = Object.fromEntries(
      Object.entries(parseEnv(kept.join('\n'))).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    return { path, values, diagnostics };
  });
}
