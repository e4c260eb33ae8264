/**
 * WebSocket — RFC 6455 over a socket Node's HTTP server or client has handed over after an upgrade, for
 * both ends: `kubelab serve` accepts the remotecommand WebSockets of a real kubectl, and HttpTransport
 * opens its own. Frames are read as they arrive (split or coalesced across TCP reads); a message may come
 * in fragments, with control frames between them. Pings are answered with pongs; a close frame is answered
 * with one (echoing its code), after which the socket ends. The rules a peer must keep are checked, and a
 * breach fails the connection with the RFC's close code: a client's frames must be masked and a server's
 * not (1002), no reserved bits (no extension is negotiated, 1002), control frames unfragmented and at most
 * 125 bytes (1002), continuation frames only within a fragmented message (1002), text messages valid UTF-8
 * (1007), a message at most MAX_MESSAGE_BYTES (1009).
 *
 * Left out: extensions (permessage-deflate is never accepted), and sending fragmented messages (each
 * message goes out as one frame).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { Emitter, type Event } from '../engine/base/emitter.ts';

/** The GUID a server appends to the client's key (RFC 6455 section 1.3). */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The largest message either end accepts (what kubectl cp moves in one message is far smaller). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** Close codes (RFC 6455 section 7.4.1). */
export const CLOSE_CODE = { normal: 1000, goingAway: 1001, protocolError: 1002, invalidData: 1007, tooBig: 1009, abnormal: 1006 } as const;

/** Sec-WebSocket-Accept for a Sec-WebSocket-Key. */
export function acceptKey(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/** A fresh Sec-WebSocket-Key: 16 random bytes, base64. */
export function newKey(): string {
  return randomBytes(16).toString('base64');
}

/** Whether `key` is a valid Sec-WebSocket-Key (16 bytes in base64). */
export function isValidKey(key: string | undefined): key is string {
  return key !== undefined && /^[A-Za-z0-9+/]{22}==$/.test(key.trim());
}

/** The subprotocols of a Sec-WebSocket-Protocol header (a comma list, possibly repeated). */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  return values.flatMap((v) => v.split(',')).map((p) => p.trim()).filter(Boolean);
}

export interface Message {
  data: Buffer;
  binary: boolean;
}

export interface CloseEvent {
  /** The peer's close code, or 1006 when the connection dropped without a close frame. */
  code: number;
  reason: string;
}

/** One end of an open WebSocket connection. */
export class WebSocket {
  private pending: Buffer = Buffer.alloc(0);
  /** The fragments of a message being received, and its opcode. */
  private fragments: Buffer[] | undefined;
  private fragmentsSize = 0;
  private fragmentOpcode: number = OPCODE.binary;
  private closeSent = false;
  private finished = false;
  private readonly _onMessage = new Emitter<Message>();
  private readonly _onClose = new Emitter<CloseEvent>();
  /** Each whole message, in order. */
  readonly onMessage: Event<Message> = this._onMessage.event;
  /** The connection is over (a close handshake, a failure, or the socket dropped); fired once. */
  readonly onClose: Event<CloseEvent> = this._onClose.event;

  /**
   * `role` is this end's: a client masks what it sends and expects unmasked frames; a server the
   * reverse. `head` is what the HTTP parser read past the handshake. Nothing is read before the next
   * microtask, so listeners subscribed right after construction see every message.
   */
  constructor(
    private readonly socket: Duplex,
    readonly role: 'client' | 'server',
    readonly protocol: string,
    head: Buffer = Buffer.alloc(0),
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.finish({ code: CLOSE_CODE.abnormal, reason: '' }));
    // The peer is gone without a close frame (an upgraded socket may be half-open): end ours too.
    socket.on('end', () => {
      this.finish({ code: CLOSE_CODE.abnormal, reason: '' });
      socket.end();
    });
    // A reset peer: the 'close' that follows ends the connection.
    socket.on('error', () => undefined);
    if (head.length > 0) queueMicrotask(() => this.receive(head));
  }

  get closed(): boolean {
    return this.closeSent || this.finished;
  }

  /** Send one message (binary unless `text`). Dropped once a close has been sent. */
  send(data: Uint8Array | string, text = false): void {
    if (this.closed) return;
    this.writeFrame(text ? OPCODE.text : OPCODE.binary, typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }

  /** Send a ping; the peer answers with a pong. */
  ping(data: Uint8Array = Buffer.alloc(0)): void {
    if (!this.closed) this.writeFrame(OPCODE.ping, Buffer.from(data));
  }

  /**
   * Start the closing handshake: a close frame with `code`; the peer answers with its own and the
   * socket ends. A server also ends its side at once (RFC 6455 section 7.1.1: the server closes TCP first).
   */
  close(code: number = CLOSE_CODE.normal, reason = ''): void {
    if (this.closed) return;
    this.sendClose(code, reason);
    if (this.role === 'server') this.socket.end();
  }

  /** Drop the connection without a closing handshake. */
  destroy(): void {
    this.socket.destroy();
    this.finish({ code: CLOSE_CODE.abnormal, reason: '' });
  }

  private sendClose(code: number, reason: string): void {
    this.closeSent = true;
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2, 'utf8');
    this.writeFrame(OPCODE.close, payload);
  }

  private writeFrame(opcode: number, payload: Buffer): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    const mask = this.role === 'client';
    const length = payload.length;
    const lengthBytes = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
    const header = Buffer.alloc(2 + lengthBytes + (mask ? 4 : 0));
    header[0] = 0x80 | opcode;
    header[1] = (mask ? 0x80 : 0) | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
    if (lengthBytes === 2) header.writeUInt16BE(length, 2);
    else if (lengthBytes === 8) header.writeBigUInt64BE(BigInt(length), 2);
    let body = payload;
    if (mask) {
      const key = randomBytes(4);
      key.copy(header, 2 + lengthBytes);
      body = Buffer.from(payload);
      applyMask(body, key);
    }
    this.socket.write(Buffer.concat([header, body]));
  }

  private receive(chunk: Buffer): void {
    if (this.finished) return;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (!this.finished) {
      const buf = this.pending;
      if (buf.length < 2) return;
      const fin = (buf[0]! & 0x80) !== 0;
      const reserved = buf[0]! & 0x70;
      const opcode = buf[0]! & 0x0f;
      const masked = (buf[1]! & 0x80) !== 0;
      let length = buf[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buf.length < 4) return;
        length = buf.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buf.length < 10) return;
        const big = buf.readBigUInt64BE(2);
        if (big > BigInt(MAX_MESSAGE_BYTES)) return this.fail(CLOSE_CODE.tooBig, 'message too big');
        length = Number(big);
        offset = 10;
      }
      if (reserved !== 0) return this.fail(CLOSE_CODE.protocolError, 'reserved bits set');
      if (masked !== (this.role === 'server')) return this.fail(CLOSE_CODE.protocolError, this.role === 'server' ? 'client frame not masked' : 'server frame masked');
      if (length > MAX_MESSAGE_BYTES || this.fragmentsSize + length > MAX_MESSAGE_BYTES) return this.fail(CLOSE_CODE.tooBig, 'message too big');
      const keyAt = offset;
      if (masked) offset += 4;
      if (buf.length < offset + length) return;
      const payload = Buffer.from(buf.subarray(offset, offset + length));
      if (masked) applyMask(payload, buf.subarray(keyAt, keyAt + 4));
      this.pending = buf.subarray(offset + length);
      this.frame(fin, opcode, payload);
    }
  }

  private frame(fin: boolean, opcode: number, payload: Buffer): void {
    if (opcode >= 0x8) {
      if (!fin || payload.length > 125) return this.fail(CLOSE_CODE.protocolError, 'invalid control frame');
      if (opcode === OPCODE.ping) this.writeFrame(OPCODE.pong, payload);
      else if (opcode === OPCODE.close) this.peerClosed(payload);
      else if (opcode !== OPCODE.pong) this.fail(CLOSE_CODE.protocolError, `unknown opcode ${opcode}`);
      return;
    }
    if (opcode === OPCODE.continuation) {
      if (!this.fragments) return this.fail(CLOSE_CODE.protocolError, 'continuation without a message');
    } else if (opcode === OPCODE.text || opcode === OPCODE.binary) {
      if (this.fragments) return this.fail(CLOSE_CODE.protocolError, 'new message inside a fragmented one');
      this.fragments = [];
      this.fragmentsSize = 0;
      this.fragmentOpcode = opcode;
    } else {
      return this.fail(CLOSE_CODE.protocolError, `unknown opcode ${opcode}`);
    }
    this.fragments.push(payload);
    this.fragmentsSize += payload.length;
    if (!fin) return;
    const data = this.fragments.length === 1 ? this.fragments[0]! : Buffer.concat(this.fragments);
    const binary = this.fragmentOpcode === OPCODE.binary;
    this.fragments = undefined;
    this.fragmentsSize = 0;
    if (!binary && !isUtf8(data)) return this.fail(CLOSE_CODE.invalidData, 'invalid UTF-8 in a text message');
    if (!this.closeSent) this._onMessage.fire({ data, binary });
  }

  private peerClosed(payload: Buffer): void {
    if (payload.length === 1) return this.fail(CLOSE_CODE.protocolError, 'invalid close frame');
    const code = payload.length >= 2 ? payload.readUInt16BE(0) : CLOSE_CODE.normal;
    const reason = payload.length > 2 ? payload.subarray(2).toString('utf8') : '';
    if (!this.closeSent) {
      if (payload.length >= 2) this.sendClose(code, '');
      else {
        this.closeSent = true;
        this.writeFrame(OPCODE.close, Buffer.alloc(0));
      }
    }
    this.socket.end();
    this.finish({ code, reason });
  }

  /** Fail the connection (RFC 6455 section 7.1.7): a close frame with `code`, then the socket ends. */
  private fail(code: number, reason: string): void {
    if (!this.closeSent) this.sendClose(code, reason);
    this.socket.end();
    this.finish({ code, reason });
  }

  private finish(event: CloseEvent): void {
    if (this.finished) return;
    this.finished = true;
    this.pending = Buffer.alloc(0);
    this._onClose.fire(event);
    this._onClose.dispose();
    this._onMessage.dispose();
  }
}

function applyMask(data: Buffer, key: Uint8Array): void {
  for (let i = 0; i < data.length; i++) data[i] = data[i]! ^ key[i & 3]!;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(data: Buffer): boolean {
  try {
    strictUtf8.decode(data);
    return true;
  } catch {
    return false;
  }
}
