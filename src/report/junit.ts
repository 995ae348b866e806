import { requestFile, type FileResult, type RequestResult, type RunResult } from '../run/result.js';
import { describeFailure, summariseFailure } from './failure-text.js';
import { describeExchange } from './wire-text.js';
import { escapeXmlAttribute as attr, escapeXmlText as text } from './xml-escape.js';

export interface JunitOptions {
  /** When the run started; defaults to now minus the run's duration. */
  timestamp?: Date;
}

/**
 * JUnit XML as Jenkins, GitLab and GitHub test reporters read it (Ant / Jenkins junit-10 schema):
 * one <testsuite> per file, one <testcase> per request named `file › request name`.
 * A file that did not run at all becomes one errored testcase, so a parse error cannot leave CI green.
 */
export function renderJunit(result: RunResult, options: JunitOptions = {}): string {
  const timestamp = formatTimestamp(options.timestamp ?? new Date(Date.now() - result.summary.durationMs));
  const suites = result.files.map((file, index) => renderSuite(file, index, timestamp));
  const cases = result.files.flatMap(casesOf);
  const head =
    `<testsuites name="httprun" tests="${cases.length}" failures="${count(cases, 'failed')}"` +
    ` errors="${count(cases, 'errored')}" time="${seconds(result.summary.durationMs)}">`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', head, ...suites, '</testsuites>', ''].join('\n');
}

type Case = { kind: 'request'; request: RequestResult; outcome: RequestResult['outcome'] } | { kind: 'file'; outcome: 'errored' };

function casesOf(file: FileResult): Case[] {
  const requests: Case[] = file.requests.map((request) => ({ kind: 'request', request, outcome: request.outcome }));
  return file.error === null ? requests : [{ kind: 'file', outcome: 'errored' }, ...requests];
}

function count(cases: Case[], outcome: RequestResult['outcome']): number {
  return cases.filter((c) => c.outcome === outcome).length;
}

function renderSuite(file: FileResult, index: number, timestamp: string): string {
  const cases = casesOf(file);
  const time = file.requests.reduce((sum, request) => sum + request.durationMs, 0);
  const head =
    `  <testsuite name="${attr(file.file)}" tests="${cases.length}" failures="${count(cases, 'failed')}"` +
    ` errors="${count(cases, 'errored')}" skipped="${count(cases, 'skipped')}" time="${seconds(time)}"` +
    ` timestamp="${timestamp}" id="${index}">`;
  const body = cases.map((c) => (c.kind === 'file' ? renderFileError(file) : renderCase(file, c.request)));
  return [head, ...body, '  </testsuite>'].join('\n');
}

function renderFileError(file: FileResult): string {
  const error = file.error ?? '';
  return [
    `    <testcase name="${attr(file.file)}" classname="${attr(file.file)}" file="${attr(file.file)}" time="0.000">`,
    `      <error message="${attr(error)}" type="file">${text(error)}</error>`,
    '    </testcase>',
  ].join('\n');
}

function renderCase(file: FileResult, request: RequestResult): string {
  const open =
    `    <testcase name="${attr(`${file.file} › ${request.name}`)}" classname="${attr(file.file)}"` +
    ` file="${attr(requestFile(file, request))}"${request.line > 0 ? ` line="${request.line}"` : ''} assertions="${request.assertions.length}"` +
    ` time="${seconds(request.durationMs)}"`;
  if (request.outcome === 'passed') return `${open}/>`;
  const children: string[] = [];
  const message = attr(summariseFailure(request));
  if (request.outcome === 'skipped') children.push(`      <skipped message="${message}"/>`);
  else {
    const element = request.outcome === 'errored' ? 'error' : 'failure';
    const type = request.outcome === 'errored' ? 'request' : 'assertion';
    children.push(`      <${element} message="${message}" type="${type}">${text(describeFailure(file, request))}</${element}>`);
    const wire = describeExchange(request);
    if (wire !== '') children.push(`      <system-out>${text(wire)}</system-out>`);
  }
  return [`${open}>`, ...children, '    </testcase>'].join('\n');
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** Ant writes `YYYY-MM-DDTHH:MM:SS` without a zone and its schema forbids one; ours is UTC. */
function formatTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19);
}
