import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import { expect, test } from 'vitest';
import { renderJunit } from '../src/report/junit.js';
import { allOutcomes, withHostile } from './fixtures/report/run-result.js';

const timestamp = new Date('2025-03-04T05:06:07.890Z');
const schema = fileURLToPath(new URL('./fixtures/report/junit.xsd', import.meta.url));

function hasXmllint(): boolean {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const xmllint = hasXmllint();
if (!xmllint) console.warn('xmllint is not on PATH (Debian: libxml2-utils): skipping JUnit XSD validation');

function validate(xml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'httprun-junit-')), 'report.xml');
  writeFileSync(file, xml);
  return execFileSync('xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8', stdio: 'pipe' });
}

test('one testsuite per file and one testcase per request, named file › request name', () => {
  const xml = renderJunit(allOutcomes, { timestamp });
  expect(xml).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="httprun" tests="5" failures="1" errors="2" time="0.412">
  <testsuite name="requests/users.http" tests="4" failures="1" errors="1" skipped="1" time="0.044" timestamp="2025-03-04T05:06:07" id="0">
    <testcase name="requests/users.http › create user" classname="requests/users.http" file="requests/users.http" line="3" assertions="1" time="0.012"/>
    <testcase name="requests/users.http › get user" classname="requests/users.http" file="requests/users.http" line="12" assertions="3" time="0.030">
      <failure message="?? status == 200 (expected 200, actual 404); ?? body $.name == &quot;ada&quot; (expected &quot;ada&quot;, actual (none))" type="assertion">requests/users.http:14  ?? status == 200
    expected: 200
    actual:   404
requests/users.http:15  ?? body $.name == "ada"
    expected: "ada"
    actual:   (none)
    no value at $.name
    body was not JSON</failure>
      <system-out>&gt; GET http://127.0.0.1:8080/v1/users/7
&gt; Accept: */*
&lt; HTTP 404
&lt; Content-Type: text/html
&lt;
&lt; &lt;script&gt;alert("pwned")&lt;/script&gt;</system-out>
    </testcase>
    <testcase name="requests/users.http › ping down" classname="requests/users.http" file="requests/users.http" line="20" assertions="0" time="0.002">
      <error message="connection refused by 127.0.0.1:1" type="request">requests/users.http:20  errored: connection refused by 127.0.0.1:1</error>
    </testcase>
    <testcase name="requests/users.http › delete user" classname="requests/users.http" file="requests/users.http" line="25" assertions="0" time="0.000">
      <skipped message="depends on &quot;get user&quot;, which failed"/>
    </testcase>
  </testsuite>
  <testsuite name="requests/broken.http" tests="1" failures="0" errors="1" skipped="0" time="0.000" timestamp="2025-03-04T05:06:07" id="1">
    <testcase name="requests/broken.http" classname="requests/broken.http" file="requests/broken.http" time="0.000">
      <error message="requests/broken.http:4:1 a header line needs a colon" type="file">requests/broken.http:4:1 a header line needs a colon</error>
    </testcase>
  </testsuite>
</testsuites>
`);
});

test('hostile text stays text: markup escaped, control characters made visible, line breaks kept in attributes', () => {
  const xml = renderJunit(withHostile, { timestamp });
  const document = new DOMParser().parseFromString(xml, 'text/xml');
  const cases = Array.from(document.getElementsByTagName('testcase'));
  const evil = cases.find((c) => c.getAttribute('classname') === 'requests/evil, really: yes.http');
  expect(evil?.getAttribute('name')).toBe(
    'requests/evil, really: yes.http › <script>alert(1)</script> & "quotes" # not a directive',
  );
  const failure = evil?.getElementsByTagName('failure')[0];
  expect(failure?.textContent).toContain('expected: "100%\\u0007done"');
  expect(failure?.textContent).toContain('actual:   "</pre><script>document.title=\\"pwned\\"</script>"');
  expect(evil?.getElementsByTagName('system-out')[0]?.textContent).toContain('\\u0000]]>');
  const multiLine = renderJunit({ ...withHostile, files: [{ file: 'a.http', error: 'line one\nline two', requests: [] }] }, { timestamp });
  const parsed = new DOMParser().parseFromString(multiLine, 'text/xml');
  expect(parsed.getElementsByTagName('error')[0]?.getAttribute('message')).toBe('line one\nline two');
});

test.skipIf(!xmllint)('the report validates against the JUnit XSD (xmllint)', () => {
  expect(() => validate(renderJunit(allOutcomes, { timestamp }))).not.toThrow();
  expect(() => validate(renderJunit(withHostile, { timestamp }))).not.toThrow();
  expect(() => validate(renderJunit({ ...allOutcomes, files: [] }, { timestamp }))).not.toThrow();
});

test.skipIf(!xmllint)('the XSD is strict enough to reject a testcase without a name', () => {
  const broken = renderJunit(allOutcomes, { timestamp }).replace('<testcase name="requests/users.http › create user"', '<testcase');
  expect(() => validate(broken)).toThrow(/name.*required|required.*name/is);
});

test('the timestamp defaults to the run start, now minus the duration', () => {
  const before = Date.now() - allOutcomes.summary.durationMs;
  const stamp = /timestamp="([^"]+)"/.exec(renderJunit(allOutcomes))?.[1];
  expect(Math.abs(Date.parse(`${stamp}Z`) - before)).toBeLessThan(2000);
});
