import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import type { DataStream, PortForwardSession } from '../engine/apiserver/http.ts';
import { servePortForward } from './portforward.ts';
import { controlFrame, dataFrame, FLAG_FIN, FRAME, headerBlock, parseHeaderBlock, SPDY_DICTIONARY, SpdySession, type SpdyStream } from './spdy.ts';

/** Through a zlib stream that keeps its context, with a sync flush. */
function pump(z: Inflate | Deflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const onData = (c: Buffer) => out.push(c);
    z.on('data', onData);
    z.write(input);
    z.flush(constants.Z_SYNC_FLUSH, () => {
      z.off('data', onData);
      resolve(Buffer.concat(out));
    });
  });
}

/** The client's end, as spdystream frames it: SYN_STREAMs with compressed headers, DATA, PING. */
class Client {
  private readonly deflate = createDeflate({ dictionary: SPDY_DICTIONARY });
  private readonly inflate = createInflate({ dictionary: SPDY_DICTIONARY });
  private pending = Buffer.alloc(0);
  readonly frames: Array<{ control: boolean; type: number; streamId: number; flags: number; data: Buffer }> = [];
  private wake: (() => void) | undefined;
  readonly session: SpdySession;

  constructor() {
    this.session = new SpdySession((bytes) => this.read(bytes));
  }

  async open(id: number, headers: Record<string, string>, flags = 0): Promise<void> {
    const block = await pump(this.deflate, headerBlock(new Map(Object.entries(headers))));
    const head = Buffer.alloc(10);
    head.writeUInt32BE(id, 0);
    this.session.receive(controlFrame(FRAME.synStream, flags, Buffer.concat([head, block])));
  }

  /** Wait for the next frame matching `pred`. */
  async next(pred: (f: Client['frames'][number]) => boolean): Promise<Client['frames'][number]> {
    for (;;) {
      const i = this.frames.findIndex(pred);
      if (i >= 0) return this.frames.splice(i, 1)[0]!;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  replyHeaders(frame: { data: Buffer }): Promise<Map<string, string>> {
    return pump(this.inflate, frame.data.subarray(4)).then(parseHeaderBlock);
  }

  private read(bytes: Buffer): void {
    this.pending = Buffer.concat([this.pending, bytes]);
    while (this.pending.length >= 8) {
      const length = this.pending.readUInt32BE(4) & 0xffffff;
      if (this.pending.length < 8 + length) return;
      const control = (this.pending[0]! & 0x80) !== 0;
      const data = this.pending.subarray(8, 8 + length);
      this.frames.push({ control, type: control ? this.pending.readUInt16BE(2) : 0, streamId: control ? (length >= 4 ? data.readUInt32BE(0) & 0x7fffffff : 0) : this.pending.readUInt32BE(0) & 0x7fffffff, flags: this.pending[4]!, data });
      this.pending = this.pending.subarray(8 + length);
      this.wake?.();
    }
  }
}

describe('SPDY/3.1 server session', () => {
  it('has the 1423-byte SPDY/3 dictionary', () => {
    expect(SPDY_DICTIONARY.length).toBe(1423);
    expect(SPDY_DICTIONARY.subarray(0, 11).toString('latin1')).toBe('\0\0\0\x07options');
    expect(SPDY_DICTIONARY.subarray(-9).toString('latin1')).toBe(',*,enq=0.');
  });

  it('opens streams with compressed headers, replies, carries data both ways, echoes pings', async () => {
    const client = new Client();
    const streams: SpdyStream[] = [];
    client.session.onStream((s) => streams.push(s));
    await client.open(1, { streamType: 'data', port: '80' });
    await client.open(3, { streamType: 'error', port: '80' }, FLAG_FIN);
    const reply1 = await client.next((f) => f.control && f.type === FRAME.synReply && f.streamId === 1);
    expect([...(await client.replyHeaders(reply1))]).toEqual([]);
    const reply3 = await client.next((f) => f.control && f.type === FRAME.synReply && f.streamId === 3);
    expect([...(await client.replyHeaders(reply3))]).toEqual([]);
    expect(streams.map((s) => [s.id, s.headers.get('streamtype'), s.headers.get('port')])).toEqual([
      [1, 'data', '80'],
      [3, 'error', '80'],
    ]);
    const got: string[] = [];
    let ended = false;
    streams[0]!.onData((d) => got.push(d.toString()));
    streams[0]!.onEnd(() => (ended = true));
    client.session.receive(dataFrame(1, 0, Buffer.from('GET / ')));
    client.session.receive(dataFrame(1, FLAG_FIN, Buffer.from('HTTP/1.1')));
    const ping = Buffer.alloc(4);
    ping.writeUInt32BE(7, 0);
    client.session.receive(controlFrame(FRAME.ping, 0, ping));
    expect((await client.next((f) => f.control && f.type === FRAME.ping)).data.readUInt32BE(0)).toBe(7);
    expect([got.join(''), ended]).toEqual(['GET / HTTP/1.1', true]);
    streams[0]!.write(Buffer.from('200 OK'));
    streams[0]!.end();
    expect((await client.next((f) => !f.control && f.streamId === 1)).data.toString()).toBe('200 OK');
    expect((await client.next((f) => !f.control && f.streamId === 1)).flags).toBe(FLAG_FIN);
    // Data on a stream never opened is refused.
    client.session.receive(dataFrame(9, 0, Buffer.from('x')));
    expect((await client.next((f) => f.control && f.type === FRAME.rstStream)).streamId).toBe(9);
  });

  it('forwards a port-forward stream pair, and reports a failure on the error stream', async () => {
    const client = new Client();
    const forwarded: Array<[number, DataStream]> = [];
    let closed = false;
    const session: PortForwardSession = {
      forward: (port, stream) =>
        new Promise((resolve) => {
          forwarded.push([port, stream]);
          stream.receive({ data: (text) => stream.write(text.toUpperCase()), end: () => resolve(port === 81 ? 'connection refused' : '') });
        }),
      close: () => (closed = true),
    };
    servePortForward(client.session, session);
    // Data sent before the engine reads the stream is kept for it.
    await client.open(1, { streamType: 'error', port: '80', requestID: '0' });
    await client.open(3, { streamType: 'data', port: '80', requestID: '0' });
    client.session.receive(dataFrame(3, 0, Buffer.from('hé')));
    client.session.receive(dataFrame(3, FLAG_FIN, Buffer.from('llo')));
    expect((await client.next((f) => !f.control && f.streamId === 3 && f.data.length > 0)).data.toString()).toBe('HÉ');
    expect((await client.next((f) => !f.control && f.streamId === 3 && f.data.length > 0)).data.toString()).toBe('LLO');
    expect((await client.next((f) => !f.control && f.streamId === 1)).flags).toBe(FLAG_FIN);
    await client.open(5, { streamType: 'error', port: '81', requestID: '1' });
    await client.open(7, { streamType: 'data', port: '81', requestID: '1' });
    client.session.receive(dataFrame(7, FLAG_FIN, Buffer.alloc(0)));
    expect((await client.next((f) => !f.control && f.streamId === 5)).data.toString()).toBe('connection refused');
    expect(forwarded.map(([port]) => port)).toEqual([80, 81]);
    client.session.receive(controlFrame(FRAME.goaway, 0, Buffer.alloc(8)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(true);
  });
});

describe('SPDY/3.1 client session', () => {
  /** A client and a server session wired back to back, each frame delivered on a later turn. */
  function pair() {
    const client: SpdySession = new SpdySession((bytes) => setImmediate(() => server.receive(bytes)), 'client');
    const server: SpdySession = new SpdySession((bytes) => setImmediate(() => client.receive(bytes)));
    return { client, server };
  }

  it('opens streams with odd ids that the server replies to, carries data both ways and FINs', async () => {
    const { client, server } = pair();
    const opened: SpdyStream[] = [];
    server.onStream((s) => {
      opened.push(s);
      s.onData((d) => s.write(Buffer.from(d.toString().toUpperCase())));
      s.onEnd(() => s.end());
    });
    const streams = [client.open(new Map([['streamType', 'error'], ['requestID', '0']])), client.open(new Map([['streamType', 'data'], ['requestID', '0']]))];
    const got: string[] = [];
    let ended = false;
    streams[1]!.onData((d) => got.push(d.toString()));
    streams[1]!.onEnd(() => (ended = true));
    await Promise.all(streams.map((s) => s.replied));
    expect(opened.map((s) => [s.id, s.headers.get('streamtype'), s.headers.get('requestid')])).toEqual([
      [1, 'error', '0'],
      [3, 'data', '0'],
    ]);
    streams[1]!.write(Buffer.from('hello'));
    streams[1]!.end();
    await new Promise<void>((resolve) => streams[1]!.onEnd(resolve));
    expect([got.join(''), ended]).toEqual(['HELLO', true]);
  });

  it('echoes the server’s pings but not its own, refuses server streams, and fails pending replies when the session ends', async () => {
    const sent: Buffer[] = [];
    const client = new SpdySession((bytes) => sent.push(bytes), 'client');
    const ping = (id: number) => {
      const data = Buffer.alloc(4);
      data.writeUInt32BE(id, 0);
      return controlFrame(FRAME.ping, 0, data);
    };
    client.receive(ping(2));
    client.receive(ping(1));
    const deflate = createDeflate({ dictionary: SPDY_DICTIONARY });
    const head = Buffer.alloc(10);
    head.writeUInt32BE(2, 0);
    client.receive(controlFrame(FRAME.synStream, 0, Buffer.concat([head, await pump(deflate, headerBlock(new Map([['a', 'b']])))])));
    const pending = client.open(new Map([['streamType', 'data']]));
    await vi.waitFor(() => expect(sent).toHaveLength(3));
    const frames = sent.map((b) => [b.readUInt16BE(2), b.readUInt32BE(8)]);
    expect(frames).toEqual([
      [FRAME.ping, 2],
      [FRAME.synStream, 1],
      [FRAME.rstStream, 2],
    ]);
    client.receive(controlFrame(FRAME.goaway, 0, Buffer.alloc(8)));
    await expect(pending.replied).rejects.toThrow('stream 1 was reset before the server replied');
  });
});
