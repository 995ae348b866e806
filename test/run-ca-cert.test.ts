import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../src/run/run.js';
import { hasOpenssl, listen, makeCertificates, runCleanups, tempDir } from './fixtures/execute/harness.js';

afterEach(runCleanups);

describe.skipIf(!hasOpenssl())('run() with caCert', () => {
  let certs: ReturnType<typeof makeCertificates>;
  beforeAll(() => {
    certs = makeCertificates();
  });

  test('a relative caCert is read from the cwd option, not from the process working directory', async () => {
    const port = await listen(createServer(certs.localhost, (_request, response) => response.end('trusted')));
    const root = tempDir();
    mkdirSync(join(root, 'certs'));
    writeFileSync(join(root, 'certs', 'ca.pem'), certs.ca.cert);
    // The process runs in the repository, which has no certs/ca.pem: only options.cwd can find it.
    expect(process.cwd()).not.toBe(root);
    const result = await run(
      { file: 't.http', text: `GET https://127.0.0.1:${port}/\n\n?? body == trusted\n` },
      { cwd: root, caCert: 'certs/ca.pem', processEnv: {} },
    );
    expect(result.files[0]).toMatchObject({ file: 't.http', error: null });
    expect(result.files[0]!.requests[0]).toMatchObject({ outcome: 'passed', status: 200 });
  });
});

test('an unreadable caCert is an input error (exit 2) before anything is sent, not an internal error', async () => {
  const result = await run([{ file: 'a.http', text: 'GET http://127.0.0.1:9/\n' }], { caCert: 'no/such/ca.pem' });
  expect(result.summary.exitCode).toBe(2);
  expect(result.files).toEqual([{ file: 'no/such/ca.pem', error: 'cannot read the CA certificate no/such/ca.pem: no such file', requests: [] }]);
});

test('a caCert file with no PEM certificate is an input error too: Node would trust nothing more and say nothing', async () => {
  const root = tempDir();
  writeFileSync(join(root, 'ca.pem'), 'not a certificate\n');
  const result = await run([{ file: 'a.http', text: 'GET http://127.0.0.1:9/\n' }], { cwd: root, caCert: 'ca.pem' });
  expect(result.summary.exitCode).toBe(2);
  expect(result.files).toEqual([{ file: 'ca.pem', error: 'the CA certificate ca.pem holds no PEM certificate (-----BEGIN CERTIFICATE-----)', requests: [] }]);
});
