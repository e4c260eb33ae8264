/**
 * wsstream — the server's end of remotecommand over WebSocket (k8s.io/apimachinery's
 * pkg/util/httpstream/wsstream, as the kubelet's streaming server and the apiserver's proxy of it speak
 * it), for `kubelab serve`: an exec or attach StreamConnection of the in-process apiserver carried over a
 * real kubectl's WebSocket.
 *
 * The channel protocols are the binary ones kubectl offers: `v5.channel.k8s.io` and `v4.channel.k8s.io`.
 * Every message is one channel byte and its data: 0 stdin (client → server), 1 stdout, 2 stderr, 3 the
 * error stream (the one Status the session ends with, as JSON), 4 resize (`{"Width":…,"Height":…}`);
 * v5 adds 255, close: `[255, channel]` says the sender will write no more to that channel (kubectl's
 * stdin EOF). On upgrade the server writes an empty message to its lowest open output channel (stdout,
 * else stderr, else error) to say it is ready; at the end it writes the Status to channel 3 and closes
 * the WebSocket (1000).
 *
 * Text crosses as UTF-8: stdin is decoded as it streams (a character split across messages is kept
 * whole), output encoded. Left out: resizes after the start — the engine's StreamIO takes no resize, so
 * a tty keeps the size the runtime gave it — and the base64 protocols (`base64.channel.k8s.io`) browsers used.
 */
import type { StreamIO, StreamStatus } from '../engine/apiserver/http.ts';
import type { Event } from '../engine/base/emitter.ts';

/**
 * What a session's channels travel on: a WebSocket, or remotecommand's SPDY streams presented as
 * channel-prefixed messages (remotecommand.ts).
 */
export interface ChannelTransport {
  send(message: Uint8Array): void;
  readonly onMessage: Event<{ data: Buffer }>;
  readonly onClose: Event<unknown>;
  close(): void;
}

export const STREAM_PROTOCOL_V5 = 'v5.channel.k8s.io';
export const STREAM_PROTOCOL_V4 = 'v4.channel.k8s.io';
/** The protocols served, most preferred first. */
export const CHANNEL_PROTOCOLS: readonly string[] = [STREAM_PROTOCOL_V5, STREAM_PROTOCOL_V4];

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** Which streams a request opens (the query's stdin, stdout, stderr and tty, defaulted as the apiserver does). */
export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export function streamOptions(query: URLSearchParams): StreamOptions {
  const flag = (key: string, byDefault: boolean) => (query.has(key) ? query.get(key) === 'true' || query.get(key) === '1' : byDefault);
  return { stdin: flag('stdin', false), stdout: flag('stdout', true), stderr: flag('stderr', true), tty: flag('tty', false) };
}

/** The first of the client's offered protocols this end speaks (wsstream's handshake), or undefined. */
export function negotiate(offered: readonly string[], supported: readonly string[] = CHANNEL_PROTOCOLS): string | undefined {
  return offered.find((p) => supported.includes(p));
}

/** A Status as the error stream carries it: metav1.Status's JSON, field for field in Go's order. */
export function statusJson(status: StreamStatus): string {
  return JSON.stringify({
    metadata: {},
    status: status.status,
    ...(status.message !== undefined ? { message: status.message } : {}),
    ...(status.reason !== undefined ? { reason: status.reason } : {}),
    ...(status.details !== undefined ? { details: status.details } : {}),
    ...(status.code !== undefined ? { code: status.code } : {}),
  });
}

/**
 * One exec or attach session's channels. `io` is what the connection is opened with; output written
 * before `attach` (the handshake may wait for the kubelet's answer) is kept and sent on attach.
 */
export class ChannelSession {
  readonly io: StreamIO;
  private ws: ChannelTransport | undefined;
  private held: Buffer[] = [];
  private done = false;
  private readonly stdinChunks: string[] = [];
  private stdinWaiters: Array<(chunk: string | undefined) => void> = [];
  private stdinEnded = false;
  private readonly stdinDecoder = new TextDecoder();

  constructor(private readonly options: StreamOptions) {
    const writer = (channel: number) => ({ write: (text: string) => this.send(channel, Buffer.from(text, 'utf8')) });
    this.io = {
      ...(options.stdin ? { stdin: { read: () => this.readStdin() } } : {}),
      ...(options.stdout ? { stdout: writer(CHANNEL.stdout) } : {}),
      ...(options.stderr && !options.tty ? { stderr: writer(CHANNEL.stderr) } : {}),
    };
  }

  /** The handshake is done: say so on the lowest output channel, send what was held, and read the client. */
  attach(ws: ChannelTransport): void {
    this.ws = ws;
    const ready = this.options.stdout ? CHANNEL.stdout : this.options.stderr && !this.options.tty ? CHANNEL.stderr : CHANNEL.error;
    ws.send(Buffer.from([ready]));
    for (const message of this.held) ws.send(message);
    this.held = [];
    ws.onMessage(({ data }) => this.receive(data));
    ws.onClose(() => {
      this.done = true;
      this.endStdin();
    });
  }

  /** The session is over: the Status on the error channel, then the close handshake. */
  finish(status: StreamStatus): void {
    if (this.done) return;
    this.send(CHANNEL.error, Buffer.from(statusJson(status), 'utf8'));
    this.done = true;
    this.endStdin();
    this.ws?.close();
  }

  /** The client never got its upgrade (the kubelet refused it): nothing more is read or sent. */
  abandon(): void {
    this.done = true;
    this.held = [];
    this.endStdin();
  }

  private send(channel: number, data: Buffer): void {
    if (this.done || data.length === 0) return;
    const message = Buffer.concat([Buffer.from([channel]), data]);
    if (this.ws) this.ws.send(message);
    else this.held.push(message);
  }

  private receive(data: Buffer): void {
    if (data.length === 0) return;
    const channel = data[0]!;
    if (channel === CHANNEL.stdin) {
      if (!this.options.stdin || this.stdinEnded) return;
      const text = this.stdinDecoder.decode(data.subarray(1), { stream: true });
      if (text) this.pushStdin(text);
    } else if (channel === CHANNEL.close) {
      // v5's close message (a v4 client sends none; SPDY's end of stdin comes as one too).
      if (data[1] === CHANNEL.stdin) this.endStdin();
    }
  }

  private pushStdin(text: string): void {
    const waiter = this.stdinWaiters.shift();
    if (waiter) waiter(text);
    else this.stdinChunks.push(text);
  }

  private readStdin(): Promise<string | undefined> {
    const chunk = this.stdinChunks.shift();
    if (chunk !== undefined) return Promise.resolve(chunk);
    if (this.stdinEnded) return Promise.resolve(undefined);
    return new Promise((resolve) => this.stdinWaiters.push(resolve));
  }

  private endStdin(): void {
    if (this.stdinEnded) return;
    this.stdinEnded = true;
    const rest = this.stdinDecoder.decode();
    if (rest) this.pushStdin(rest);
    const waiters = this.stdinWaiters;
    this.stdinWaiters = [];
    for (const waiter of waiters) waiter(undefined);
  }
}
