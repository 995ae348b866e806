// The bench's HTTP server, run in its own process so that its CPU time is never charged to the
// process being measured. Keep-alive, 127.0.0.1, a free port printed on stdout as the first line.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const token = randomBytes(16).toString('hex');

const routes = [
  [/^\/item\/(\d+)$/, (request, response, [, id]) => json(response, 200, `{"id":${id},"name":"item ${id}","ok":true}`)],
  [/^\/login$/, (request, response) => {
    request.resume();
    request.on('end', () => json(response, 200, `{"token":"${token}","user":"bench"}`));
  }],
  [/^\/me$/, (request, response) => {
    const ok = request.headers.authorization === `Bearer ${token}`;
    json(response, ok ? 200 : 401, ok ? '{"user":"bench","ok":true}' : '{"error":"bad token"}');
  }],
  [/^\/big\/(\d+)$/, (request, response, [, size]) => streamBig(response, Number(size))],
];

function json(response, status, text) {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/**
 * A JSON document of exactly `size` bytes shaped like a real listing (an array of small records)
 * followed by `"last":1`, streamed with backpressure from one reused chunk: the server never
 * holds the body.
 */
function streamBig(response, size) {
  const head = Buffer.from('{"items":[');
  const tail = Buffer.from('{"id":0}],"last":1}');
  const record = (id) => `{"id":${id},"name":"item ${id}","tags":["a","b"]},`;
  let records = '';
  for (let id = 1; records.length < 64 * 1024; id++) records += record(id);
  const chunk = Buffer.from(records);
  let left = size - head.length - tail.length;
  if (left < 0) throw new Error(`/big needs at least ${head.length + tail.length} bytes`);
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': size });
  response.write(head);
  const pump = () => {
    while (left > 0) {
      const piece = left >= chunk.length ? chunk : Buffer.from(' '.repeat(left));
      left -= piece.length;
      if (!response.write(piece)) return void response.once('drain', pump);
    }
    response.end(tail);
  };
  pump();
}

const server = createServer((request, response) => {
  const path = request.url.split('?')[0];
  for (const [pattern, handle] of routes) {
    const match = pattern.exec(path);
    if (match) return handle(request, response, match);
  }
  json(response, 404, '{"error":"no route"}');
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
