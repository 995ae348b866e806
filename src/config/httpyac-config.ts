import { diagnostic, type Diagnostic, type Span } from '../diagnostics.js';
import { headerProblem } from './header-problem.js';
import { describeJson, readJsonDocument } from './env-json-file.js';
import { cachedParse } from './file-cache.js';
import { jsonValue, type JsonNode } from './json-document.js';
import { variableText } from './variable-value.js';

export const HTTPYAC_CONFIG_FILE_NAME = '.httpyac.json';

/**
 * httpyac's project file `.httpyac.json`: the keys a run of the same files needs, `environments`
 * (`$shared`, `$default` for when none is selected, and named ones) and `defaultHeaders` (sent
 * unless a request writes the header). Its other keys are httpyac's own settings and are ignored;
 * `httpyac.config.js` is code, which httprun does not run.
 */
export interface HttpyacConfigFile {
  path: string;
  shared: Record<string, string>;
  /** `$default`: the variables used when no environment is selected. */
  unselected: Record<string, string>;
  environments: Map<string, { values: Record<string, string>; span: Span }>;
  defaultHeaders: Record<string, string>;
  diagnostics: Diagnostic[];
}

export function readHttpyacConfigFile(path: string): HttpyacConfigFile {
  return cachedParse('httpyac-config', path, (read) => {
    const file: HttpyacConfigFile = { path, shared: {}, unselected: {}, environments: new Map(), defaultHeaders: {}, diagnostics: [] };
    const document = readJsonDocument(path, read, HTTPYAC_CONFIG_FILE_NAME);
    if ('diagnostic' in document) {
      file.diagnostics.push(document.diagnostic);
      return file;
    }
    const { text, positions, root } = document;
    const typeError = (what: string, expected: string, node: JsonNode) =>
      file.diagnostics.push(diagnostic('error', 'config/invalid-type', `${what} in ${HTTPYAC_CONFIG_FILE_NAME} must be ${expected}, got ${describeJson(node)}`, positions.span(node.start, node.end)));
    if (root.type !== 'object') {
      typeError('the file', 'a JSON object', root);
      return file;
    }
    for (const entry of root.entries) {
      if (entry.key === 'defaultHeaders') {
        if (entry.value.type !== 'object') typeError('"defaultHeaders"', 'an object of header names and values', entry.value);
        else {
          const headers = variablesOf(entry.value, text);
          for (const header of entry.value.entries) {
            const problem = headerProblem(header.key, headers[header.key] ?? '');
            if (problem === null) continue;
            const at = problem.part === 'name' ? positions.span(header.keyStart, header.keyEnd) : positions.span(header.value.start, header.value.end);
            file.diagnostics.push(diagnostic('error', 'config/invalid-header', `"defaultHeaders" in ${HTTPYAC_CONFIG_FILE_NAME}: ${problem.message}`, at));
            delete headers[header.key];
          }
          file.defaultHeaders = { ...file.defaultHeaders, ...headers };
        }
      } else if (entry.key === 'environments') {
        if (entry.value.type !== 'object') {
          typeError('"environments"', 'an object of environments', entry.value);
          continue;
        }
        for (const environment of entry.value.entries) {
          if (environment.value.type !== 'object') {
            typeError(`environment "${environment.key}"`, 'an object of variables', environment.value);
            continue;
          }
          const values = variablesOf(environment.value, text);
          if (environment.key === '$shared') file.shared = { ...file.shared, ...values };
          else if (environment.key === '$default') file.unselected = { ...file.unselected, ...values };
          else if (!environment.key.startsWith('$')) {
            const span = positions.span(environment.keyStart, environment.keyEnd);
            file.environments.set(environment.key, { values: { ...file.environments.get(environment.key)?.values, ...values }, span });
          }
        }
      }
    }
    return file;
  });
}

/** Numbers as written (`1.10` stays "1.10"); fromEntries, so a "__proto__" key stays a key. */
function variablesOf(node: Extract<JsonNode, { type: 'object' }>, text: string): Record<string, string> {
  return Object.fromEntries(
    node.entries.map((entry) => [entry.key, entry.value.type === 'number' ? text.slice(entry.value.start, entry.value.end) : variableText(jsonValue(entry.value))]),
  );
}
