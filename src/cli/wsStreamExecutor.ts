/**
 * wsStreamExecutor — the client's end of remotecommand over WebSocket (client-go's
 * tools/remotecommand/websocket.go), for HttpTransport: exec and attach as a real kubectl 1.32 opens them,
 * a GET upgraded to a WebSocket with the `v5.channel.k8s.io` (or `v4.channel.k8s.io`) subprotocol, handed
 * to the engine's kubectl as the same StreamConnection the in-process apiserver answers with.
 *
 * `dial` completes the handshake (the Sec-WebSocket-Accept and the chosen subprotocol checked) or returns
 * the server's refusal as a plain response (a Status, or the kubelet's text). On `open`, the terminal's size
 * goes out on the resize channel, stdin is sent as it is read and its end said with v5's close message;
 * stdout and stderr are written as they come, and when the server closes the connection `open` resolves
 * with the error stream's Status (Success when it sent none). Messages that arrive before `open` are kept.
 * The channels are wsstream.ts's.
 */
import type { StreamConnection, StreamIO, StreamStatus } from '../engine/apiserver/http.ts';
import { acceptKey, newKey, WebSocket, type Message } from './websocket.ts';
import { CHANNEL, CHANNEL_PROTOCOLS, STREAM_PROTOCOL_V5 } from './wsstream.ts';
import { upgradeRequest } from './upgradeRequest.ts';

export type DialResult = { connection: WebSocketStreamConnection; protocol: string } | { status: number; headers: Record<string, string>; body: string };

/**
 * Open a WebSocket to `url` offering `protocols`, as a stream connection; the server's answer when it does
 * not upgrade. The connection reads from the moment of the upgrade: what the server sent with its
 * handshake (the readiness message, a quick command's whole output) is kept for `open`.
 */
export async function dial(url: URL, headers: Record<string, string>, protocols: readonly string[] = CHANNEL_PROTOCOLS): Promise<DialResult> {
  const key = newKey();
  const answer = await upgradeRequest(url, 'GET', { ...headers, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': key, 'sec-websocket-protocol': protocols.join(', ') });
  if (!('socket' in answer)) return answer;
  const { res, socket, head } = answer;
  const protocol = typeof res.headers['sec-websocket-protocol'] === 'string' ? res.headers['sec-websocket-protocol'] : '';
  if (res.headers['sec-websocket-accept'] !== acceptKey(key)) {
    socket.destroy();
    throw new Error('websocket: bad handshake: Sec-WebSocket-Accept does not match the key');
  }
  if (!protocols.includes(protocol)) {
    socket.destroy();
    throw new Error(`websocket: the server chose the subprotocol "${protocol}", not one of [${protocols.join(' ')}]`);
  }
  return { connection: new WebSocketStreamConnection(new WebSocket(socket, 'client', protocol, head)), protocol };
}

/** An exec or attach session on an upgraded WebSocket. */
export class WebSocketStreamConnection implements StreamConnection {
  private held: Message[] | undefined = [];
  private closed = false;
  private reader: ((message: Message) => void) | undefined;
  private onClosed: (() => void) | undefined;
  private opened = false;

  constructor(private readonly ws: WebSocket) {
    ws.onMessage((message) => (this.reader ? this.reader(message) : this.held?.push(message)));
    ws.onClose(() => {
      this.closed = true;
      this.onClosed?.();
    });
  }

  open(io: StreamIO): Promise<StreamStatus> {
    if (this.opened) return Promise.reject(new Error('the stream connection is already open'));
    this.opened = true;
    const decoders = new Map<number, TextDecoder>([CHANNEL.stdout, CHANNEL.stderr, CHANNEL.error].map((c) => [c, new TextDecoder()]));
    let errorText = '';
    const deliver = (channel: number, text: string) => {
      if (!text) return;
      if (channel === CHANNEL.stdout) io.stdout?.write(text);
      else if (channel === CHANNEL.stderr) io.stderr?.write(text);
      else errorText += text;
    };
    return new Promise((resolve) => {
      this.reader = ({ data }) => {
        const channel = data[0];
        const decoder = channel === undefined ? undefined : decoders.get(channel);
        if (decoder) deliver(channel!, decoder.decode(data.subarray(1), { stream: true }));
      };
      this.onClosed = () => {
        for (const [channel, decoder] of decoders) deliver(channel, decoder.decode());
        resolve(decodeStatus(errorText));
      };
      for (const message of this.held ?? []) this.reader(message);
      this.held = undefined;
      if (this.closed) return this.onClosed();
      if (io.consoleSize) this.ws.send(Buffer.concat([Buffer.from([CHANNEL.resize]), Buffer.from(JSON.stringify({ Width: io.consoleSize.cols, Height: io.consoleSize.rows }))]));
      if (io.stdin) void this.pumpStdin(io.stdin);
    });
  }

  private async pumpStdin(stdin: NonNullable<StreamIO['stdin']>): Promise<void> {
    for (;;) {
      const chunk = await stdin.read();
      if (this.closed) return;
      if (chunk === undefined) {
        // v4 has no way to say so: the remote side reads on until the session ends.
        if (this.ws.protocol === STREAM_PROTOCOL_V5) this.ws.send(Buffer.from([CHANNEL.close, CHANNEL.stdin]));
        return;
      }
      if (chunk) this.ws.send(Buffer.concat([Buffer.from([CHANNEL.stdin]), Buffer.from(chunk, 'utf8')]));
    }
  }
}

/** The error stream's Status (Success when the server sent none), as errorDecoderV4 reads it. */
function decodeStatus(text: string): StreamStatus {
  if (!text) return { status: 'Success' };
  try {
    const status = JSON.parse(text) as StreamStatus;
    if (status.status === 'Success' || status.status === 'Failure') return status;
    return { status: 'Failure', message: 'error stream protocol error: unknown error' };
  } catch (e) {
    return { status: 'Failure', message: `error stream protocol error: ${e instanceof Error ? e.message : String(e)} in ${JSON.stringify(text)}` };
  }
}
