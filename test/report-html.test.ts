import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { renderHtml } from '../src/report/html.js';
import type { RunResult } from '../src/run/result.js';
import { allOutcomes, allPassed, withHostile } from './fixtures/report/run-result.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`${CHROMIUM} is absent (Debian: apt-get install chromium): skipping the HTML report browser tests`);

let browser: Browser | undefined;
beforeAll(async () => {
  if (!hasChromium) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** Opens the report from a file, as a user would, recording every request the page makes and every dialog. */
async function open(result: RunResult) {
  const file = join(mkdtempSync(join(tmpdir(), 'httprun-html-')), 'report.html');
  writeFileSync(file, renderHtml(result));
  const page = await browser!.newPage();
  const requested: string[] = [];
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => errors.push(error.message));
  const url = pathToFileURL(file).href;
  await page.goto(url);
  return { page, requested, dialogs, errors, url };
}

test('the page is one document: no external resource is referenced', () => {
  const html = renderHtml(withHostile);
  expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b|\s(src|href)="(?!#)|https?:\/\/(?!127\.0\.0\.1)/);
  expect(html.match(/<script>/g)).toHaveLength(1);
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
});

test('hostile names, values and bodies are escaped in the markup', () => {
  const html = renderHtml(withHostile);
  expect(html).not.toContain('<script>alert');
  expect(html).not.toContain('<img src=x');
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
  expect(html).toContain('100%\\u0007done');
});

test('a file that did not run is listed among the failures and shows its error', () => {
  const html = renderHtml(allOutcomes);
  expect(html).toContain('<li class="errored"><a href="#file-1">requests/broken.http</a> did not run<pre>requests/broken.http:4:1 a header line needs a colon</pre></li>');
  expect(html).toContain('<pre class="file-error">requests/broken.http:4:1 a header line needs a colon</pre>');
});

test.skipIf(!hasChromium)('Chromium shows the failing request with its assertion, failures first, and runs no injected script', async () => {
  const { page, requested, dialogs, errors, url } = await open(withHostile);
  try {
    const firstFailure = page.locator('#failures li').first();
    await expect.poll(() => firstFailure.locator('a').textContent()).toBe('requests/users.http › get user');
    expect(await firstFailure.locator('pre').textContent()).toContain('requests/users.http:14  ?? status == 200\n    expected: 200\n    actual:   404');

    // The failures list comes before the files, and the failing request is open with its assertions.
    const order = await page.evaluate(() => Array.from(document.querySelectorAll('#failures, section.file')).map((e) => e.id));
    expect(order).toEqual(['failures', 'file-0', 'file-1']);
    const failing = page.locator('#request-0-1');
    expect(await failing.getAttribute('open')).not.toBeNull();
    expect(await failing.locator('summary .name').textContent()).toBe('get user');
    expect(await failing.locator('table.assertions tr.failed code').first().textContent()).toBe('?? status == 200');
    expect(await failing.locator('.wire.response pre').textContent()).toBe(
      'HTTP 404\nContent-Type: text/html\n\n<script>alert("pwned")</script>',
    );

    // Hostile text is text.
    expect(await page.locator('#request-1-0 summary .name').textContent()).toBe(
      '<script>alert(1)</script> & "quotes" # not a directive',
    );
    expect(await page.title()).toBe('httprun: 2 failed, 1 errored, 1 passed');
    expect(await page.locator('script').count()).toBe(1);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(requested).toEqual([url]);

    // Timing bars are proportional to the slowest request (48 ms).
    const widths = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('#request-0-1 .bar > span, #request-1-0 .bar > span')).map((e) => e.style.width),
    );
    expect(widths).toEqual(['62.5%', '100%']);
  } finally {
    await page.close();
  }
}, 60_000);

test.skipIf(!hasChromium)('the inline script works under the page CSP: only failures hides passing requests', async () => {
  const { page, errors } = await open(withHostile);
  try {
    const passing = page.locator('#request-0-0');
    expect(await passing.isVisible()).toBe(true);
    await page.locator('#only-failures').check();
    expect(await passing.isVisible()).toBe(false);
    expect(await page.locator('#request-0-1').isVisible()).toBe(true);
    await page.locator('#expand').click();
    expect(await page.locator('details.request:not([open])').count()).toBe(0);
    expect(errors).toEqual([]);
  } finally {
    await page.close();
  }
}, 60_000);

test.skipIf(!hasChromium)('a passing run says there are no failures', async () => {
  const { page } = await open(allPassed);
  try {
    expect(await page.locator('#failures h2').textContent()).toBe('No failures');
    expect(await page.locator('#summary').textContent()).toBe(
      '1 request: 1 passed, 0 failed, 0 errored, 0 skipped · 1/1 assertion passed · 1 file · 12 ms',
    );
  } finally {
    await page.close();
  }
}, 60_000);
