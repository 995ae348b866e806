import { expect, test } from 'vitest';
import { escapeData, escapeProperty, renderGithubAnnotations } from '../src/report/github-annotations.js';
import { allOutcomes, allPassed, withHostile } from './fixtures/report/run-result.js';

test('one ::error per failed assertion, errored request and file that did not run', () => {
  expect(renderGithubAnnotations(allOutcomes)).toEqual([
    '::error file=requests/users.http,line=14,title=get user%3A assertion failed::requests/users.http:14  ?? status == 200%0A    expected: 200%0A    actual:   404',
    '::error file=requests/users.http,line=15,title=get user%3A assertion failed::requests/users.http:15  ?? body $.name == "ada"%0A    expected: "ada"%0A    actual:   (none)%0A    no value at $.name%0A    body was not JSON',
    '::error file=requests/users.http,line=20,title=ping down%3A request errored::connection refused by 127.0.0.1:1',
    '::error file=requests/broken.http,line=4,title=httprun%3A file not run::requests/broken.http:4:1 a header line needs a colon',
  ]);
});

test('a passing run has no annotations', () => {
  expect(renderGithubAnnotations(allPassed)).toEqual([]);
});

test('properties escape , and : so a file name cannot add properties; data escapes % and line breaks', () => {
  const [annotation] = renderGithubAnnotations(withHostile).filter((a) => a.includes('evil'));
  expect(annotation).toMatch(/^::error file=requests\/evil%2C really%3A yes\.http,line=5,title=/);
  expect(annotation).toContain('expected: "100%25\\u0007done"');
  expect(escapeData('50%\r\n')).toBe('50%25%0D%0A');
  expect(escapeProperty('a,b:c%')).toBe('a%2Cb%3Ac%25');
});
