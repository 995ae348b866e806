import { createHash } from 'node:crypto';
import { requestFile, type FileResult, type Outcome, type RequestResult, type RunResult, type WireMessage } from '../run/result.js';
import { describeFailure } from './failure-text.js';
import { formatDuration, formatValue } from './format-value.js';
import { escapeHtml as h } from './html-escape.js';
import { describeSummary } from './summary-text.js';

/**
 * The HTML report: one self-contained page (inline CSS and JS, nothing fetched), failures first,
 * then every file in input order with each request's status, timing bar, assertions, and the
 * request and response as sent and received. All report text is escaped, and a Content Security
 * Policy allows only this page's own script, so even a missed escape could not run injected code.
 */
export function renderHtml(result: RunResult): string {
  const { summary } = result;
  const slowest = Math.max(1, ...result.files.flatMap((file) => file.requests.map((request) => request.durationMs)));
  const title = `httprun: ${summary.failed} failed, ${summary.errored} errored, ${summary.passed} passed`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src '${SCRIPT_HASH}'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="httprun">
<title>${h(title)}</title>
<style>${STYLE}</style>
</head>
<body class="exit-${summary.exitCode}">
<header>
<h1>httprun report</h1>
<p class="summary" id="summary">${h(describeSummary(result))}</p>
<ul class="counts">
${(['passed', 'failed', 'errored', 'skipped'] as const).map((o) => `<li class="${o}"><b>${summary[o]}</b> ${o}</li>`).join('\n')}
<li><b>${summary.assertions.passed}/${summary.assertions.passed + summary.assertions.failed}</b> assertions passed</li>
<li><b>${summary.files}</b> ${summary.files === 1 ? 'file' : 'files'}</li>
<li><b>${h(formatDuration(summary.durationMs))}</b></li>
<li>exit code <b>${summary.exitCode}</b></li>
</ul>
<p class="controls"><label><input type="checkbox" id="only-failures"> only failures</label>
<button type="button" id="expand">expand all</button> <button type="button" id="collapse">collapse all</button></p>
</header>
<main>
${renderFailures(result)}
${result.files.map((file, index) => renderFile(file, index, slowest)).join('\n')}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function requestId(fileIndex: number, requestIndex: number): string {
  return `request-${fileIndex}-${requestIndex}`;
}

function isProblem(outcome: Outcome): boolean {
  return outcome === 'failed' || outcome === 'errored';
}

function renderFailures(result: RunResult): string {
  const items: string[] = [];
  result.files.forEach((file, fileIndex) => {
    if (file.error !== null) {
      items.push(`<li class="errored"><a href="#file-${fileIndex}">${h(file.file)}</a> did not run<pre>${h(file.error)}</pre></li>`);
    }
    file.requests.forEach((request, requestIndex) => {
      if (!isProblem(request.outcome)) return;
      items.push(
        `<li class="${request.outcome}"><a href="#${requestId(fileIndex, requestIndex)}">${h(`${file.file} › ${request.name}`)}</a>` +
          ` <span class="badge ${request.outcome}">${request.outcome}</span><pre>${h(describeFailure(file, request))}</pre></li>`,
      );
    });
  });
  if (items.length === 0) return '<section id="failures" class="none"><h2>No failures</h2></section>';
  return `<section id="failures"><h2>Failures (${items.length})</h2>\n<ol>\n${items.join('\n')}\n</ol>\n</section>`;
}

function renderFile(file: FileResult, fileIndex: number, slowest: number): string {
  const problem = file.error !== null || file.requests.some((request) => isProblem(request.outcome));
  const error = file.error === null ? '' : `<pre class="file-error">${h(file.error)}</pre>\n`;
  const requests = file.requests.map((request, index) => renderRequest(file, request, requestId(fileIndex, index), slowest));
  return (
    `<section class="file${problem ? ' problem' : ''}" id="file-${fileIndex}">\n<h2>${h(file.file)}</h2>\n${error}` +
    `${requests.join('\n')}\n</section>`
  );
}

function renderRequest(file: FileResult, request: RequestResult, id: string, slowest: number): string {
  const width = request.durationMs <= 0 ? 0 : Math.max(0.5, (request.durationMs / slowest) * 100);
  const failure = describeFailure(file, request);
  const parts = [
    `<details class="request ${request.outcome}" id="${id}"${isProblem(request.outcome) ? ' open' : ''}>`,
    `<summary><span class="badge ${request.outcome}">${request.outcome}</span>` +
      ` <span class="name">${h(request.name)}</span>` +
      ` <span class="target">${h(`${request.method} ${request.url}`)}</span>` +
      ` <span class="status">${request.status ?? ''}</span>` +
      ` <span class="bar" title="${h(formatDuration(request.durationMs))}"><span style="width:${width.toFixed(1)}%"></span></span>` +
      ` <span class="time">${h(formatDuration(request.durationMs))}</span></summary>`,
    `<p class="where">${h(`${requestFile(file, request)}:${request.line}`)}${request.attempts > 1 ? ` · ${request.attempts} attempts` : ''}</p>`,
  ];
  if (failure !== '') parts.push(`<pre class="failure">${h(failure)}</pre>`);
  if (request.assertions.length > 0) parts.push(renderAssertions(request));
  if (request.redirects !== undefined && request.redirects.length > 0) {
    parts.push(`<p class="redirects">redirected from ${request.redirects.map((url) => `<code>${h(url)}</code>`).join(' → ')}</p>`);
  }
  if (request.request !== undefined) parts.push(renderWire('Request', request.request, `${request.request.method ?? request.method} ${request.request.url ?? request.url}`));
  if (request.response !== undefined) {
    parts.push(renderWire('Response', request.response, request.response.status === undefined ? '' : `HTTP ${request.response.status}`));
  }
  parts.push('</details>');
  return parts.join('\n');
}

function renderAssertions(request: RequestResult): string {
  const rows = request.assertions.map(
    (a) =>
      `<tr class="${a.passed ? 'passed' : 'failed'}"><td class="mark">${a.passed ? '✓' : '✗'}</td><td class="line">${a.line}</td>` +
      `<td><code>${h(a.text)}</code>${a.message === undefined ? '' : `<pre class="message">${h(a.message)}</pre>`}</td>` +
      `<td><code>${h(formatValue(a.expected))}</code></td><td><code>${h(formatValue(a.actual))}</code></td></tr>`,
  );
  return (
    '<table class="assertions">\n<thead><tr><th></th><th>line</th><th>assertion</th><th>expected</th><th>actual</th></tr></thead>\n' +
    `<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`
  );
}

function renderWire(label: string, message: WireMessage, firstLine: string): string {
  const headers = message.headers.map(([name, value]) => `${name}: ${value}`);
  const head = [firstLine, ...headers].filter((line) => line !== '').join('\n');
  const body = message.body === null || message.body === '' ? '' : `\n\n${message.body}`;
  return `<div class="wire ${label.toLowerCase()}"><h3>${label}</h3><pre>${h(head + body)}</pre></div>`;
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--muted:#656d76;--line:#d0d7de;--pass:#1a7f37;--fail:#cf222e;--err:#bc4c00;--skip:#8c6c00;--code:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#8d96a0;--line:#30363d;--pass:#3fb950;--fail:#f85149;--err:#f0883e;--skip:#d29922;--code:#161b22}}
*{box-sizing:border-box}body{margin:0 auto;max-width:1100px;padding:1rem 1.5rem;font:14px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.1rem;margin:1.4rem 0 .5rem;word-break:break-all}h3{font-size:.85rem;margin:.6rem 0 .2rem;color:var(--muted)}
.counts{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;list-style:none;padding:0}.counts .passed b{color:var(--pass)}.counts .failed b{color:var(--fail)}.counts .errored b{color:var(--err)}.counts .skipped b{color:var(--skip)}
pre,code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}pre{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:.5rem .7rem;overflow:auto;white-space:pre-wrap;word-break:break-word;max-height:30rem}
#failures{border:2px solid var(--fail);border-radius:8px;padding:0 1rem .5rem}#failures.none{border-color:var(--pass)}#failures li{margin:.5rem 0}
.badge{display:inline-block;min-width:4.5rem;text-align:center;border-radius:1rem;padding:0 .5rem;font-size:.8rem;font-weight:600;color:#fff}
.badge.passed{background:var(--pass)}.badge.failed{background:var(--fail)}.badge.errored{background:var(--err)}.badge.skipped{background:var(--skip)}
details.request{border:1px solid var(--line);border-radius:6px;margin:.3rem 0;padding:.2rem .6rem}details.request[open]{padding-bottom:.6rem}
summary{cursor:pointer;display:flex;flex-wrap:wrap;align-items:center;gap:.6rem}.name{font-weight:600}.target{color:var(--muted);word-break:break-all;flex:1 1 16rem}
.bar{display:inline-block;width:8rem;height:.5rem;background:var(--code);border:1px solid var(--line);border-radius:3px;overflow:hidden}.bar>span{display:block;height:100%;background:var(--muted)}
.failed .bar>span{background:var(--fail)}.errored .bar>span{background:var(--err)}.time{min-width:4.5rem;text-align:right;color:var(--muted)}
.where{margin:.3rem 0;color:var(--muted)}.failure,.file-error{border-color:var(--fail)}
table.assertions{border-collapse:collapse;width:100%}table.assertions th,table.assertions td{border-bottom:1px solid var(--line);padding:.2rem .4rem;text-align:left;vertical-align:top}
tr.passed .mark{color:var(--pass)}tr.failed .mark{color:var(--fail)}tr.failed td{font-weight:600}.message{margin:.2rem 0;font-weight:400}
body.only-failures details.request.passed,body.only-failures details.request.skipped,body.only-failures section.file:not(.problem){display:none}
`;

const SCRIPT = `
(function(){
  var body=document.body,only=document.getElementById('only-failures');
  only.addEventListener('change',function(){body.classList.toggle('only-failures',only.checked);});
  function all(open){var d=document.querySelectorAll('details.request');for(var i=0;i<d.length;i++)d[i].open=open;}
  document.getElementById('expand').addEventListener('click',function(){all(true);});
  document.getElementById('collapse').addEventListener('click',function(){all(false);});
  // A link from the failures list opens the request it points to.
  window.addEventListener('hashchange',function(){var t=document.getElementById(location.hash.slice(1));if(t&&t.tagName==='DETAILS')t.open=true;});
})();
`;

const SCRIPT_HASH = `sha256-${createHash('sha256').update(SCRIPT).digest('base64')}`;
