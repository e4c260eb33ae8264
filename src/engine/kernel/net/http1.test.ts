import { describe, expect, it } from 'vitest';
import { bootHost } from '../../programs/testing.ts';
import { canonicalHeaderKey, formatChunk, formatChunkedHead, formatRequest, formatResponse, HttpParseError, LAST_CHUNK, MessageReader, serveHttp, type ChunkSink, type MessagePart } from './http1.ts';

/** Feed `text` to a reader one UTF-16 unit at a time, as the worst split a stream can give. */
function trickle(reader: MessageReader, text: string) {
  return [...text].flatMap((ch) => reader.push(ch));
}

describe('chunked transfer coding', () => {
  const chunked = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n' + '5\r\nhello\r\n' + '8;ext=1\r\n, wörld\r\n' + '0\r\nX-Trailer: yes\r\n\r\n';

  it('writes a chunk as its size in bytes (hex), the data, CRLF; the last-chunk ends the body', () => {
    expect(formatChunk('{"type":"ADDED"}\n')).toBe('11\r\n{"type":"ADDED"}\n\r\n');
    expect(formatChunk('wörld')).toBe('6\r\nwörld\r\n');
    expect(formatChunk('')).toBe('');
    expect(LAST_CHUNK).toBe('0\r\n\r\n');
    expect(formatChunkedHead({ status: 200, headers: [['Content-Type', 'application/json'], ['Content-Length', '9']] })).toBe('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
  });

  it.each([
    ['whole', (r: MessageReader) => r.push(chunked)],
    ['one unit at a time', (r: MessageReader) => trickle(r, chunked)],
  ])('reads a chunked body %s, dropping extensions and trailers', (_how, feed) => {
    const reader = new MessageReader('response');
    expect(feed(reader)).toEqual([{ start: ['HTTP/1.1', '200', 'OK'], headers: [['Content-Type', 'application/json'], ['Transfer-Encoding', 'chunked']], body: 'hello, wörld' }]);
  });

  it('gives the parts of a streamed body as they arrive', () => {
    const reader = new MessageReader('response');
    const parts: MessagePart[] = [];
    parts.push(...reader.read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab'));
    expect(parts).toEqual([{ type: 'head', start: ['HTTP/1.1', '200', 'OK'], headers: [['Transfer-Encoding', 'chunked']] }, { type: 'data', data: 'ab' }]);
    parts.length = 0;
    parts.push(...reader.read('c\r\n'));
    expect(parts).toEqual([{ type: 'data', data: 'c' }]);
    expect(reader.read('0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n')).toEqual([{ type: 'end' }, { type: 'head', start: ['HTTP/1.1', '204', 'No Content'], headers: [] }, { type: 'end' }]);
  });

  it('reads a chunked request body, and a request with neither length nor chunks as bodiless', () => {
    const reader = new MessageReader('request');
    const text = formatRequest({ method: 'POST', target: '/x', version: 'HTTP/1.1', headers: [['Transfer-Encoding', 'chunked']], body: formatChunk('{"a":1}') + LAST_CHUNK }) + formatRequest({ method: 'GET', target: '/y', version: 'HTTP/1.1', headers: [], body: '' });
    expect(reader.push(text).map((m) => [m.start[1], m.body])).toEqual([
      ['/x', '{"a":1}'],
      ['/y', ''],
    ]);
  });

  it('refuses a chunk size that is not hex', () => {
    const reader = new MessageReader('response');
    expect(() => reader.push('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')).toThrow(new HttpParseError('invalid byte in chunk length'));
    const missingCrlf = new MessageReader('response');
    expect(() => missingCrlf.push('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab')).toThrow('malformed chunked encoding');
  });
});

describe('MessageReader framing', () => {
  it('counts Content-Length in UTF-8 bytes', () => {
    const reader = new MessageReader('response');
    const text = formatResponse({ status: 200, headers: [], body: '中文 ok' });
    expect(text).toContain('Content-Length: 9\r\n');
    expect(trickle(reader, text + text).map((m) => m.body)).toEqual(['中文 ok', '中文 ok']);
  });

  it('frames a response without a length by the close, and a 204 or 304 as bodiless', () => {
    const reader = new MessageReader('response');
    expect(reader.push('HTTP/1.1 204 No Content\r\n\r\nHTTP/1.0 200 OK\r\n\r\npart one, ')).toEqual([{ start: ['HTTP/1.1', '204', 'No Content'], headers: [], body: '' }]);
    expect(reader.awaitingClose).toBe(true);
    expect(reader.push('part two')).toEqual([]);
    expect(reader.end()).toEqual({ start: ['HTTP/1.0', '200', 'OK'], headers: [], body: 'part one, part two' });
    expect(reader.end()).toBeUndefined();
  });

  it.each([
    ['audit-id', 'Audit-Id'],
    ['x-kubernetes-pf-flowschema-uid', 'X-Kubernetes-Pf-Flowschema-Uid'],
    ['CONTENT-TYPE', 'Content-Type'],
  ])('canonicalizes %s as Go does', (name, canonical) => {
    expect(canonicalHeaderKey(name)).toBe(canonical);
  });
});

describe('serveHttp with a streamed response', () => {
  /** A server whose /stream answers with a body its test writes into; anything else answers "plain". */
  async function serve() {
    const host = bootHost();
    const sinks: ChunkSink[] = [];
    let stopped = 0;
    host.tcp.listenIn(host.init.nsproxy!.net, undefined, '127.0.0.1', 8080, (socket) =>
      serveHttp(socket, (request) =>
        request.target === '/stream'
          ? { status: 200, headers: [['Content-Type', 'text/plain']], body: 'first\n', stream: { pipe: (sink) => sinks.push(sink), stop: () => stopped++ } }
          : { status: 200, headers: [], body: 'plain' },
      ),
    );
    const client = await host.tcp.connect(host.init.nsproxy!.net, { address: '127.0.0.1', port: 8080 });
    let received = '';
    let ended = false;
    client.receive({ data: (d) => (received += d), end: () => (ended = true) });
    const settle = async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    return { client, sinks, stopped: () => stopped, received: () => received, ended: () => ended, settle };
  }

  const get = (target: string) => formatRequest({ method: 'GET', target, version: 'HTTP/1.1', headers: [['Host', '127.0.0.1:8080']], body: '' });

  it('sends the head, a chunk per piece, the last-chunk; a request sent meanwhile is answered after it', async () => {
    const s = await serve();
    s.client.write(get('/stream') + get('/after'));
    await s.settle();
    expect(s.received()).toBe('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nfirst\n\r\n');
    s.sinks[0]!.write('second\n');
    await s.settle();
    expect(s.received()).toMatch(/7\r\nsecond\n\r\n$/);
    s.sinks[0]!.end();
    await s.settle();
    expect(s.received()).toMatch(/7\r\nsecond\n\r\n0\r\n\r\nHTTP\/1\.1 200 OK\r\nContent-Length: 5\r\n\r\nplain$/);
    const reader = new MessageReader('response');
    expect(reader.push(s.received()).map((m) => m.body)).toEqual(['first\nsecond\n', 'plain']);
    expect(s.stopped()).toBe(0);
    expect(s.ended()).toBe(false);
  });

  it('stops the stream when the client closes the connection', async () => {
    const s = await serve();
    s.client.write(get('/stream'));
    await s.settle();
    expect(s.stopped()).toBe(0);
    s.client.close();
    await s.settle();
    expect(s.stopped()).toBe(1);
    expect(() => s.sinks[0]!.write('late\n')).not.toThrow();
  });
});

describe('serveHttp with a response worked out later', () => {
  it('answers a promised response when it settles, holding later requests back until then', async () => {
    const host = bootHost();
    let answer: (body: string) => void = () => {};
    host.tcp.listenIn(host.init.nsproxy!.net, undefined, '127.0.0.1', 8080, (socket) =>
      serveHttp(socket, (request) =>
        request.target === '/later'
          ? new Promise((resolve) => (answer = (body) => resolve({ status: 502, headers: [['Content-Length', String(body.length)]], body })))
          : { status: 200, headers: [['Content-Length', '3']], body: 'now' },
      ),
    );
    const client = await host.tcp.connect(host.init.nsproxy!.net, { address: '127.0.0.1', port: 8080 });
    let received = '';
    client.receive({ data: (d) => (received += d) });
    const get = (target: string) => formatRequest({ method: 'GET', target, version: 'HTTP/1.1', headers: [['Host', '127.0.0.1:8080']], body: '' });
    const settle = async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    client.write(get('/later') + get('/now'));
    await settle();
    expect(received).toBe('');
    answer('upstream gone');
    await settle();
    expect(received).toBe('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 13\r\n\r\nupstream goneHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nnow');
  });
});
