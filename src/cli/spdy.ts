/**
 * SPDY/3.1 — either end of a SPDY session (the framing moby/spdystream speaks for client-go), as far as
 * port-forward needs it: the client opens streams (SYN_STREAM with odd ids, headers in zlib-compressed
 * blocks that share one compression context per direction, primed with SPDY/3's dictionary), the server
 * replies (SYN_REPLY), both send DATA frames, and FLAG_FIN half-closes a stream. The peer's PINGs are
 * echoed, RST_STREAM ends a stream, GOAWAY the session; SETTINGS and WINDOW_UPDATE are read and ignored.
 * A `server` session takes the streams its client opens (`onStream`); a `client` session opens them
 * (`open`) and refuses any the server opens.
 *
 * Frames are handled strictly in order (header blocks are inflated by Node's asynchronous zlib), and
 * frames are written in the order they are sent (a header block is deflated, one after another, before
 * its frame goes out).
 *
 * Left out: flow control (no window is enforced either way: spdystream sends no more than a forwarded
 * connection carries, and the lab's pods answer small requests), server-initiated streams, and HEADERS
 * frames' content.
 */
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { Emitter, type Event } from '../engine/base/emitter.ts';

/** SPDY/3's header compression dictionary (draft-mbelshe-httpbis-spdy-00 section 2.6.10.1). */
export const SPDY_DICTIONARY: Buffer = (() => {
  const words = [
    'options', 'head', 'post', 'put', 'delete', 'trace', 'accept', 'accept-charset', 'accept-encoding', 'accept-language', 'accept-ranges', 'age', 'allow',
    'authorization', 'cache-control', 'connection', 'content-base', 'content-encoding', 'content-language', 'content-length', 'content-location', 'content-md5',
    'content-range', 'content-type', 'date', 'etag', 'expect', 'expires', 'from', 'host', 'if-match', 'if-modified-since', 'if-none-match', 'if-range',
    'if-unmodified-since', 'last-modified', 'location', 'max-forwards', 'pragma', 'proxy-authenticate', 'proxy-authorization', 'range', 'referer', 'retry-after',
    'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'vary', 'via', 'warning', 'www-authenticate', 'method', 'get', 'status', '200 OK',
    'version', 'HTTP/1.1', 'url', 'public', 'set-cookie', 'keep-alive', 'origin',
  ];
  const tail =
    '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
    '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized403 Forbidden404 Not Found' +
    '500 Internal Server Error501 Not Implemented503 Service Unavailable' +
    'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT' +
    'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript,public' +
    'privatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';
  const parts = words.map((w) => {
    const b = Buffer.alloc(4 + w.length);
    b.writeUInt32BE(w.length, 0);
    b.write(w, 4, 'latin1');
    return b;
  });
  return Buffer.concat([...parts, Buffer.from(tail, 'latin1')]);
})();

const VERSION = 3;
export const FRAME = { synStream: 1, synReply: 2, rstStream: 3, settings: 4, ping: 6, goaway: 7, headers: 8, windowUpdate: 9 } as const;
export const FLAG_FIN = 0x01;
/** RST_STREAM status codes. */
export const RST = { protocolError: 1, invalidStream: 2, refusedStream: 3, cancel: 5 } as const;

/** Parse an uncompressed SPDY/3 header block: names in lower case, NUL-joined values kept as one. */
export function parseHeaderBlock(block: Buffer): Map<string, string> {
  const headers = new Map<string, string>();
  let at = 4;
  const count = block.readUInt32BE(0);
  for (let i = 0; i < count; i++) {
    const nameLength = block.readUInt32BE(at);
    const name = block.subarray(at + 4, at + 4 + nameLength).toString('utf8').toLowerCase();
    at += 4 + nameLength;
    const valueLength = block.readUInt32BE(at);
    headers.set(name, block.subarray(at + 4, at + 4 + valueLength).toString('utf8'));
    at += 4 + valueLength;
  }
  return headers;
}

export function headerBlock(headers: ReadonlyMap<string, string>): Buffer {
  const parts = [Buffer.alloc(4)];
  parts[0]!.writeUInt32BE(headers.size, 0);
  for (const [name, value] of headers) {
    for (const text of [name.toLowerCase(), value]) {
      const bytes = Buffer.from(text, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length, 0);
      parts.push(length, bytes);
    }
  }
  return Buffer.concat(parts);
}

/** Run `input` through a zlib stream that keeps its context, ending the output with a sync flush. */
function pump(z: Inflate | Deflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const onData = (chunk: Buffer) => out.push(chunk);
    const onError = (e: Error) => {
      z.off('data', onData);
      reject(e);
    };
    z.on('data', onData);
    z.once('error', onError);
    z.write(input);
    z.flush(constants.Z_SYNC_FLUSH, () => {
      z.off('data', onData);
      z.off('error', onError);
      resolve(Buffer.concat(out));
    });
  });
}

export function controlFrame(type: number, flags: number, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24) | data.length, 4);
  return Buffer.concat([head, data]);
}

export function dataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE(((flags & 0xff) << 24) | data.length, 4);
  return Buffer.concat([head, data]);
}

/** One stream of a session, opened by the client. */
export class SpdyStream {
  private readonly _onData = new Emitter<Buffer>();
  private readonly _onEnd = new Emitter<void>();
  /** Data the peer sent on the stream. */
  readonly onData: Event<Buffer> = this._onData.event;
  /** The peer will send no more (FIN, a reset, or the session ended); fired once. */
  readonly onEnd: Event<void> = this._onEnd.event;
  private remoteEnded = false;
  private localEnded = false;
  private settleReply: { resolve(): void; reject(e: Error): void } | undefined;
  /**
   * On a client's stream, settled by the server's SYN_REPLY, or rejected by a reset or the session's end
   * before it; on a server's, already resolved.
   */
  readonly replied: Promise<void>;

  constructor(
    readonly id: number,
    readonly headers: ReadonlyMap<string, string>,
    private readonly session: SpdySession,
    awaitReply = false,
  ) {
    this.replied = awaitReply ? new Promise((resolve, reject) => (this.settleReply = { resolve, reject })) : Promise.resolve();
    // A caller that never waits for the reply must not see an unhandled rejection.
    this.replied.catch(() => undefined);
  }

  write(data: Buffer): void {
    if (this.localEnded || data.length === 0) return;
    this.session.sendData(this.id, 0, data);
  }

  /** Half-close: FIN. */
  end(): void {
    if (this.localEnded) return;
    this.localEnded = true;
    this.session.sendData(this.id, FLAG_FIN, Buffer.alloc(0));
  }

  /** Called by the session: the server's SYN_REPLY. */
  replyReceived(): void {
    this.settleReply?.resolve();
    this.settleReply = undefined;
  }

  /** Called by the session. */
  received(data: Buffer, fin: boolean): void {
    if (this.remoteEnded) return;
    if (data.length > 0) this._onData.fire(data);
    if (fin) this.remoteFinished();
  }

  /** Called by the session: no more data from the client. */
  remoteFinished(): void {
    if (this.remoteEnded) return;
    this.remoteEnded = true;
    this._onEnd.fire();
    this._onEnd.dispose();
    this._onData.dispose();
  }

  /** Called by the session on a reset or its end: neither side sends more. */
  reset(): void {
    this.localEnded = true;
    this.settleReply?.reject(new Error(`stream ${this.id} was reset before the server replied`));
    this.settleReply = undefined;
    this.remoteFinished();
  }
}

/**
 * A SPDY session over a byte transport: `receive` the peer's bytes; `write` (given) carries this end's
 * out. As the server, `onStream` fires for each stream the client opens, after its SYN_REPLY is on its
 * way; as the client, `open` starts a stream.
 */
export class SpdySession {
  private pending: Buffer = Buffer.alloc(0);
  private readonly inflate = createInflate({ dictionary: SPDY_DICTIONARY });
  private readonly deflate = createDeflate({ dictionary: SPDY_DICTIONARY });
  private readonly streams = new Map<number, SpdyStream>();
  /** Frames are handled one after another, and written one after another; header blocks deflated so too. */
  private reading: Promise<void> = Promise.resolve();
  private writing: Promise<void> = Promise.resolve();
  private deflating: Promise<unknown> = Promise.resolve();
  private lastStreamId = 0;
  private nextStreamId = 1;
  private ended = false;
  private closing = false;
  private readonly _onStream = new Emitter<SpdyStream>();
  private readonly _onEnd = new Emitter<string>();
  readonly onStream: Event<SpdyStream> = this._onStream.event;
  /** The session is over: the client's GOAWAY, a protocol error (its text), or `close`. */
  readonly onEnd: Event<string> = this._onEnd.event;

  constructor(
    private readonly write: (bytes: Buffer) => void,
    readonly role: 'client' | 'server' = 'server',
  ) {}

  /**
   * The client's SYN_STREAM with `headers` (FIN with it when `fin`). The stream is returned at once, to
   * be read from before anything arrives; its `replied` settles with the server's answer.
   */
  open(headers: ReadonlyMap<string, string>, fin = false): SpdyStream {
    if (this.role !== 'client') throw new Error('a SPDY server does not open streams');
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const stream = new SpdyStream(id, headers, this, true);
    if (this.ended || this.closing) {
      stream.reset();
      return stream;
    }
    this.streams.set(id, stream);
    const head = Buffer.alloc(10);
    head.writeUInt32BE(id, 0);
    this.send(this.compress(headers).then((block) => controlFrame(FRAME.synStream, fin ? FLAG_FIN : 0, Buffer.concat([head, block]))));
    if (fin) stream.end();
    return stream;
  }

  receive(chunk: Buffer): void {
    if (this.ended) return;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8) {
      const length = this.pending.readUInt32BE(4) & 0xffffff;
      if (this.pending.length < 8 + length) return;
      const frame = this.pending.subarray(0, 8 + length);
      this.pending = this.pending.subarray(8 + length);
      this.reading = this.reading.then(() => this.handle(frame)).catch((e: unknown) => this.end(e instanceof Error ? e.message : String(e)));
    }
  }

  /** End the session: GOAWAY once every frame sent before is out, then every stream reset. */
  close(): void {
    if (this.ended || this.closing) return;
    this.closing = true;
    const data = Buffer.alloc(8);
    data.writeUInt32BE(this.lastStreamId, 0);
    this.send(controlFrame(FRAME.goaway, 0, data));
    void this.writing.then(() => this.end(''));
  }

  sendData(streamId: number, flags: number, data: Buffer): void {
    this.send(dataFrame(streamId, flags, data));
  }

  /** A header block through the shared deflate context, after every block before it. */
  private compress(headers: ReadonlyMap<string, string>): Promise<Buffer> {
    const block = this.deflating.then(() => pump(this.deflate, headerBlock(headers)));
    this.deflating = block.catch(() => undefined);
    return block;
  }

  private send(frame: Buffer | Promise<Buffer>): void {
    if (this.ended) return;
    const next = Promise.resolve(frame);
    this.writing = this.writing.then(async () => this.write(await next)).catch((e: unknown) => this.end(e instanceof Error ? e.message : String(e)));
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    for (const stream of this.streams.values()) stream.reset();
    this.streams.clear();
    this.inflate.close();
    this.deflate.close();
    this._onEnd.fire(reason);
    this._onEnd.dispose();
    this._onStream.dispose();
  }

  private async handle(frame: Buffer): Promise<void> {
    if (this.ended) return;
    const flags = frame[4]!;
    const data = frame.subarray(8);
    if ((frame[0]! & 0x80) === 0) {
      const id = frame.readUInt32BE(0) & 0x7fffffff;
      const stream = this.streams.get(id);
      if (!stream) return this.rst(id, RST.invalidStream);
      stream.received(data, (flags & FLAG_FIN) !== 0);
      return;
    }
    const version = frame.readUInt16BE(0) & 0x7fff;
    if (version !== VERSION) throw new Error(`unsupported SPDY version ${version}`);
    const type = frame.readUInt16BE(2);
    switch (type) {
      case FRAME.synStream: {
        const id = data.readUInt32BE(0) & 0x7fffffff;
        const headers = parseHeaderBlock(await pump(this.inflate, data.subarray(10)));
        if (this.ended) return;
        if (this.role === 'client') return this.rst(id, RST.refusedStream);
        this.lastStreamId = Math.max(this.lastStreamId, id);
        const stream = new SpdyStream(id, headers, this);
        this.streams.set(id, stream);
        const reply = Buffer.alloc(4);
        reply.writeUInt32BE(id, 0);
        this.send(this.compress(new Map()).then((block) => controlFrame(FRAME.synReply, 0, Buffer.concat([reply, block]))));
        this._onStream.fire(stream);
        if ((flags & FLAG_FIN) !== 0) stream.remoteFinished();
        return;
      }
      case FRAME.synReply: {
        // Its header block moves the shared compression context on; its headers say nothing port-forward reads.
        await pump(this.inflate, data.subarray(4));
        this.streams.get(data.readUInt32BE(0) & 0x7fffffff)?.replyReceived();
        return;
      }
      case FRAME.rstStream: {
        const stream = this.streams.get(data.readUInt32BE(0) & 0x7fffffff);
        stream?.reset();
        if (stream) this.streams.delete(stream.id);
        return;
      }
      case FRAME.ping:
        // The peer's pings (a client's odd ids, a server's even ones) are echoed; ours coming back are not.
        if (data.length >= 4 && (data.readUInt32BE(0) % 2 === 1) === (this.role === 'server')) this.send(controlFrame(FRAME.ping, 0, Buffer.from(data)));
        return;
      case FRAME.goaway:
        this.end('');
        return;
      case FRAME.headers:
        // Its header block still moves the shared compression context on.
        await pump(this.inflate, data.subarray(4));
        return;
      default:
        // SETTINGS, WINDOW_UPDATE, and types SPDY/3 does not define: nothing to do.
        return;
    }
  }

  private rst(id: number, status: number): void {
    const data = Buffer.alloc(8);
    data.writeUInt32BE(id, 0);
    data.writeUInt32BE(status, 4);
    this.send(controlFrame(FRAME.rstStream, 0, data));
  }
}
