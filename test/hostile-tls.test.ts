import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { hasOpenssl, listen, makeCertificates, runCleanups } from './fixtures/execute/harness.js';
import { project, runCli } from './helpers/cli.js';

afterEach(runCleanups);

/** Self-signed and expired certificates through the real CLI: named TLS errors, exit 3, the run goes on. */
describe.skipIf(!hasOpenssl())('hostile TLS through the CLI', () => {
  let certs: ReturnType<typeof makeCertificates>;
  beforeAll(() => {
    certs = makeCertificates();
  });

  test('self-signed and expired certificates end errored with a one-line reason; --insecure is the way past them', async () => {
    const https = (cert: { key: string; cert: string }) => listen(createHttpsServer(cert, (_request, response) => response.end('secure')));
    const self = await https(certs.selfSigned);
    const expired = await https(certs.expired);
    const plain = await listen(createServer((_request, response) => response.end('ok')));
    const cwd = project({
      'tls.http': [
        `### self-signed\nGET https://127.0.0.1:${self}/\n`,
        `### expired\nGET https://127.0.0.1:${expired}/\n`,
        `### plain http to a TLS port\nGET http://127.0.0.1:${self}/\n`,
        `### after\nGET http://127.0.0.1:${plain}/\n\n?? body == ok\n`,
      ].join('\n'),
      'ca.pem': certs.ca.cert,
    });

    const verified = await runCli(['run', 'tls.http', '--timeout', '5s', '--cacert', 'ca.pem', '--report-json', 'report.json'], { cwd });
    expect({ code: verified.code, stderr: verified.stderr }).toEqual({ code: 3, stderr: '' });
    expect(verified.stdout).not.toMatch(/^\s+at /m);
    const report = JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8')) as { files: { requests: { outcome: string; error: string | null }[] }[] };
    const requests = report.files[0]!.requests;
    expect(requests.map((r) => r.outcome)).toEqual(['errored', 'errored', 'errored', 'passed']);
    expect(requests[0]!.error).toBe(`TLS: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT) for 127.0.0.1:${self}; trust it with --cacert FILE or skip checks with --insecure`);
    expect(requests[1]!.error).toBe(`TLS: certificate expired (CERT_HAS_EXPIRED) for 127.0.0.1:${expired}; only --insecure (or # @insecure) gets past it`);
    // A TLS server hangs up on plain HTTP without a word.
    expect(requests[2]!.error).toBe(`connection closed by the server before a response (127.0.0.1:${self})`);
    expect(verified.stdout).toContain('certificate expired (CERT_HAS_EXPIRED)');

    const insecure = await runCli(['run', 'tls.http', '--timeout', '5s', '--insecure', '--report-json', 'insecure.json'], { cwd });
    expect({ code: insecure.code, stderr: insecure.stderr }).toEqual({ code: 3, stderr: '' });
    const passed = JSON.parse(readFileSync(join(cwd, 'insecure.json'), 'utf8')) as typeof report;
    expect(passed.files[0]!.requests.map((r) => r.outcome)).toEqual(['passed', 'passed', 'errored', 'passed']);
  });
});
