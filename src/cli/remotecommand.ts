/**
 * remotecommand over SPDY — the server's end of exec and attach as the kubelet serves them to a client
 * that speaks SPDY/3.1 (kubectl with KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false, kubectl before 1.29): the
 * client negotiates a protocol with X-Stream-Protocol-Version (this server speaks `v4.channel.k8s.io`),
 * then opens one stream per channel, named by its `streamType` header — error, stdin, stdout, stderr,
 * resize. The channels are presented to wsstream.ts's ChannelSession as channel-prefixed messages: output
 * for a stream is held until every stream the request asked for is open, a FIN on stdin is the end of
 * stdin, and closing finishes every stream and ends the session.
 */
import { Emitter, type Event } from '../engine/base/emitter.ts';
import type { SpdySession, SpdyStream } from './spdy.ts';
import { CHANNEL, STREAM_PROTOCOL_V4, type ChannelTransport, type StreamOptions } from './wsstream.ts';

/** The SPDY remotecommand protocols served. */
export const SPDY_STREAM_PROTOCOLS: readonly string[] = [STREAM_PROTOCOL_V4];

const STREAM_TYPES: Record<string, number> = { stdin: CHANNEL.stdin, stdout: CHANNEL.stdout, stderr: CHANNEL.stderr, error: CHANNEL.error, resize: CHANNEL.resize };

export class SpdyChannels implements ChannelTransport {
  private readonly streams = new Map<number, SpdyStream>();
  private readonly expected: Set<number>;
  private held: Uint8Array[] | undefined = [];
  private closed = false;
  private closing = false;
  private readonly _onMessage = new Emitter<{ data: Buffer }>();
  private readonly _onClose = new Emitter<unknown>();
  readonly onMessage: Event<{ data: Buffer }> = this._onMessage.event;
  readonly onClose: Event<unknown> = this._onClose.event;

  constructor(
    private readonly spdy: SpdySession,
    options: StreamOptions,
  ) {
    this.expected = new Set([CHANNEL.error, ...(options.stdin ? [CHANNEL.stdin] : []), ...(options.stdout ? [CHANNEL.stdout] : []), ...(options.stderr && !options.tty ? [CHANNEL.stderr] : []), ...(options.tty ? [CHANNEL.resize] : [])]);
    spdy.onStream((stream) => this.opened(stream));
    spdy.onEnd(() => {
      this.closed = true;
      this._onClose.fire(undefined);
    });
  }

  send(message: Uint8Array): void {
    if (this.closed || this.closing) return;
    if (this.held) this.held.push(message);
    else this.deliver(message);
  }

  /** Finish every stream and end the session — once the client has opened them all and had what was held. */
  close(): void {
    if (this.closed) return;
    this.closing = true;
    if (this.held) return;
    this.closed = true;
    for (const stream of this.streams.values()) stream.end();
    this.spdy.close();
  }

  private opened(stream: SpdyStream): void {
    const channel = STREAM_TYPES[stream.headers.get('streamtype') ?? ''];
    if (channel === undefined || this.streams.has(channel)) {
      stream.reset();
      return;
    }
    this.streams.set(channel, stream);
    if (channel === CHANNEL.stdin) {
      stream.onData((data) => this._onMessage.fire({ data: Buffer.concat([Buffer.from([CHANNEL.stdin]), data]) }));
      stream.onEnd(() => this._onMessage.fire({ data: Buffer.from([CHANNEL.close, CHANNEL.stdin]) }));
    } else if (channel === CHANNEL.resize) {
      stream.onData((data) => this._onMessage.fire({ data: Buffer.concat([Buffer.from([CHANNEL.resize]), data]) }));
    }
    if (this.held && [...this.expected].every((c) => this.streams.has(c))) {
      const held = this.held;
      this.held = undefined;
      for (const message of held) this.deliver(message);
      if (this.closing) this.close();
    }
  }

  private deliver(message: Uint8Array): void {
    const stream = this.streams.get(message[0]!);
    stream?.write(Buffer.from(message.subarray(1)));
  }
}

/** The protocol to speak among the client's X-Stream-Protocol-Version values, or undefined. */
export function negotiateSpdy(header: string | string[] | undefined): string | undefined {
  const offered = (Array.isArray(header) ? header : header === undefined ? [] : [header]).flatMap((v) => v.split(',')).map((v) => v.trim());
  return offered.find((p) => SPDY_STREAM_PROTOCOLS.includes(p));
}
