import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptKey, isValidKey, offeredProtocols, WebSocket, type CloseEvent, type Message } from './websocket.ts';

/** Two ends of a real loopback TCP connection. */
async function socketPair(): Promise<{ a: Socket; b: Socket; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const a = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const b = await accepted;
  await new Promise<void>((resolve) => (a.connecting ? a.once('connect', () => resolve()) : resolve()));
  return { a, b, server };
}

/** A frame as a client (masked) or server (unmasked) writes it; `fin` false for a fragment. */
function frame(opcode: number, payload: Buffer, options: { fin?: boolean; mask?: boolean; rsv?: number } = {}): Buffer {
  const { fin = true, mask = true, rsv = 0 } = options;
  const len = payload.length;
  const ext = len < 126 ? Buffer.alloc(0) : len < 0x10000 ? Buffer.from([len >> 8, len & 0xff]) : Buffer.alloc(8);
  if (len >= 0x10000) ext.writeBigUInt64BE(BigInt(len));
  const head = Buffer.from([(fin ? 0x80 : 0) | rsv | opcode, (mask ? 0x80 : 0) | (len < 126 ? len : len < 0x10000 ? 126 : 127)]);
  if (!mask) return Buffer.concat([head, ext, payload]);
  const key = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]!));
  return Buffer.concat([head, ext, key, masked]);
}

/** Read whole frames a server sent to a raw client socket: [opcode, payload] each. */
function frames(socket: Socket): Array<[number, Buffer]> & { next(): Promise<[number, Buffer]> } {
  const out = [] as unknown as Array<[number, Buffer]> & { next(): Promise<[number, Buffer]> };
  let pending = Buffer.alloc(0);
  let wake: (() => void) | undefined;
  let read = 0;
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 2) {
      let len = pending[1]! & 0x7f;
      let at = 2;
      if (len === 126) {
        len = pending.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        len = Number(pending.readBigUInt64BE(2));
        at = 10;
      }
      if (pending.length < at + len) break;
      out.push([pending[0]! & 0x0f, pending.subarray(at, at + len)]);
      pending = pending.subarray(at + len);
      wake?.();
    }
  });
  out.next = async () => {
    while (out.length <= read) await new Promise<void>((resolve) => (wake = resolve));
    return out[read++]!;
  };
  return out;
}

describe('WebSocket (RFC 6455)', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    for (const fn of cleanup.splice(0)) fn();
  });

  async function pair() {
    const { a, b, server } = await socketPair();
    cleanup.push(() => {
      a.destroy();
      b.destroy();
      server.close();
    });
    return { a, b };
  }

  it('computes the handshake accept key and reads offered subprotocols', () => {
    // RFC 6455 section 1.3's example.
    expect(acceptKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    expect(isValidKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe(true);
    expect(isValidKey('short')).toBe(false);
    expect(offeredProtocols('v5.channel.k8s.io, v4.channel.k8s.io')).toEqual(['v5.channel.k8s.io', 'v4.channel.k8s.io']);
    expect(offeredProtocols(['a', 'b,c'])).toEqual(['a', 'b', 'c']);
    expect(offeredProtocols(undefined)).toEqual([]);
  });

  it.each([
    ['empty', 0],
    ['7-bit length', 125],
    ['16-bit length', 300],
    ['64-bit length', 70_000],
  ])('carries messages both ways: %s', async (_name, size) => {
    const { a, b } = await pair();
    const client = new WebSocket(a, 'client', 'p');
    const server = new WebSocket(b, 'server', 'p');
    const data = Buffer.alloc(size, 0).map((_, i) => i % 251);
    const atServer = new Promise<Message>((resolve) => server.onMessage(resolve));
    client.send(data);
    const got = await atServer;
    expect(got.binary).toBe(true);
    expect(Buffer.compare(got.data, data)).toBe(0);
    const atClient = new Promise<Message>((resolve) => client.onMessage(resolve));
    server.send('héllo', true);
    const back = await atClient;
    expect([back.binary, back.data.toString('utf8')]).toEqual([false, 'héllo']);
  });

  it('joins a fragmented message, answering a ping sent between its fragments', async () => {
    const { a, b } = await pair();
    const server = new WebSocket(b, 'server', 'p');
    const seen = frames(a);
    const message = new Promise<Message>((resolve) => server.onMessage(resolve));
    const bytes = Buffer.concat([frame(0x2, Buffer.from('ab'), { fin: false }), frame(0x9, Buffer.from('png')), frame(0x0, Buffer.from('cd'), { fin: false }), frame(0x0, Buffer.from('e'))]);
    // One byte per write: frames split across reads are reassembled.
    for (const byte of bytes) a.write(Buffer.from([byte]));
    expect((await message).data.toString()).toBe('abcde');
    const [opcode, payload] = await seen.next();
    expect([opcode, payload.toString()]).toEqual([0xa, 'png']);
  });

  it.each([
    ['an unmasked client frame', frame(0x2, Buffer.from('x'), { mask: false }), 1002],
    ['reserved bits', frame(0x2, Buffer.from('x'), { rsv: 0x40 }), 1002],
    ['a continuation with no message', frame(0x0, Buffer.from('x')), 1002],
    ['a fragmented ping', frame(0x9, Buffer.from('x'), { fin: false }), 1002],
    ['an unknown opcode', frame(0x3, Buffer.from('x')), 1002],
    ['a text message that is not UTF-8', frame(0x1, Buffer.from([0xc3, 0x28])), 1007],
  ])('fails the connection on %s with close code %i', async (_name, bytes, code) => {
    const { a, b } = await pair();
    const server = new WebSocket(b, 'server', 'p');
    const closed = new Promise<CloseEvent>((resolve) => server.onClose(resolve));
    const seen = frames(a);
    a.write(bytes);
    expect((await closed).code).toBe(code);
    const [opcode, payload] = await seen.next();
    expect([opcode, payload.readUInt16BE(0)]).toEqual([0x8, code]);
  });

  it('refuses a masked frame from a server', async () => {
    const { a, b } = await pair();
    const client = new WebSocket(a, 'client', 'p');
    const closed = new Promise<CloseEvent>((resolve) => client.onClose(resolve));
    b.write(frame(0x2, Buffer.from('x'), { mask: true }));
    expect((await closed).code).toBe(1002);
  });

  it('closes with a handshake: the peer echoes the code and both ends see it', async () => {
    const { a, b } = await pair();
    const client = new WebSocket(a, 'client', 'p');
    const server = new WebSocket(b, 'server', 'p');
    const serverClosed = new Promise<CloseEvent>((resolve) => server.onClose(resolve));
    const clientClosed = new Promise<CloseEvent>((resolve) => client.onClose(resolve));
    server.close(1000, 'bye');
    expect(await clientClosed).toEqual({ code: 1000, reason: 'bye' });
    expect((await serverClosed).code).toBe(1000);
    // Nothing is sent once closed.
    client.send('late');
    expect(client.closed).toBe(true);
  });

  it('ends with 1006 when the socket drops without a close frame', async () => {
    const { a, b } = await pair();
    const server = new WebSocket(b, 'server', 'p');
    const closed = new Promise<CloseEvent>((resolve) => server.onClose(resolve));
    a.destroy();
    expect((await closed).code).toBe(1006);
  });
});
