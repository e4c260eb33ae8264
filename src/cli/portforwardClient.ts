/**
 * portforwardClient — the client's end of portforward.k8s.io (client-go's tools/portforward behind the
 * fallback dialer kubectl 1.32 builds), for HttpTransport: SPDY/3.1 tunneled in a WebSocket (a GET with
 * the `SPDY/3.1+portforward.k8s.io` subprotocol) first, and when the server refuses that upgrade, a POST
 * upgraded to SPDY/3.1 itself with `X-Stream-Protocol-Version: portforward.k8s.io`. The session is handed
 * to the engine's kubectl as the PortForwardConnection the in-process apiserver answers with; a refusal
 * (a Status, or the kubelet's text) as the plain response it is.
 *
 * Each `forward` is handleConnection's stream pair, both with the `port` and a `requestID` counting from
 * 0: the error stream, half-closed at once, then the data stream, copied both ways as UTF-8 text (the
 * engine's streams carry strings). It resolves with what the error stream carried once the server has
 * ended it and either side of the data stream is done.
 *
 * Left out: the session ending by itself (client-go's `lost connection to pod` with no connection open:
 * the engine's PortForwardSession has no way to say so), and flow control (spdy.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { ApiResponse, DataStream, PortForwardSession } from '../engine/apiserver/http.ts';
import { PORT_FORWARD_PROTOCOL, TUNNELED_PORT_FORWARD_PROTOCOL } from './portforward.ts';
import { SpdySession } from './spdy.ts';
import { acceptKey, newKey, WebSocket } from './websocket.ts';
import { flatHeaders, upgradeRequest } from './upgradeRequest.ts';


/** Dial the pod's `portforward` subresource at `url`: the session, or the server's refusal. */
export async function dialPortForward(url: URL, headers: Record<string, string>): Promise<ApiResponse> {
  const { 'x-stream-protocol-version': _spdyOnly, ...common } = headers;
  const key = newKey();
  const tunnel = await upgradeRequest(url, 'GET', { ...common, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': key, 'sec-websocket-protocol': TUNNELED_PORT_FORWARD_PROTOCOL });
  if ('socket' in tunnel) {
    const { res, socket, head } = tunnel;
    const protocol = res.headers['sec-websocket-protocol'];
    if (res.headers['sec-websocket-accept'] !== acceptKey(key) || protocol !== TUNNELED_PORT_FORWARD_PROTOCOL) {
      socket.destroy();
      throw new Error(`websocket: bad handshake: the server answered Sec-WebSocket-Protocol "${String(protocol ?? '')}", not ${TUNNELED_PORT_FORWARD_PROTOCOL}, or a wrong Sec-WebSocket-Accept`);
    }
    const ws = new WebSocket(socket, 'client', protocol, head);
    const spdy = new SpdySession((bytes) => ws.send(bytes), 'client');
    ws.onMessage(({ data }) => spdy.receive(data));
    ws.onClose(() => spdy.close());
    spdy.onEnd(() => ws.close());
    return upgradedResponse(res, spdy);
  }
  // The fallback dialer tries SPDY when the tunnel's upgrade failed.
  const spdy = await upgradeRequest(url, 'POST', { ...common, connection: 'Upgrade', upgrade: 'SPDY/3.1', 'x-stream-protocol-version': PORT_FORWARD_PROTOCOL });
  if (!('socket' in spdy)) return spdy;
  const { res, socket, head } = spdy;
  if (String(res.headers.upgrade ?? '').toLowerCase() !== 'spdy/3.1') {
    socket.destroy();
    throw new Error(`unable to upgrade connection: the server upgraded to "${String(res.headers.upgrade ?? '')}", not SPDY/3.1`);
  }
  const session = new SpdySession((bytes) => void (socket.destroyed || socket.writableEnded || socket.write(bytes)), 'client');
  socket.on('data', (chunk: Buffer) => session.receive(chunk));
  socket.on('close', () => session.close());
  socket.on('end', () => session.close());
  // A reset server: the 'close' that follows ends the session.
  socket.on('error', () => undefined);
  session.onEnd(() => socket.end());
  if (head.length > 0) session.receive(head);
  return upgradedResponse(res, session);
}

function upgradedResponse(res: IncomingMessage, spdy: SpdySession): ApiResponse {
  const session = new PortForwardClientSession(spdy);
  return { status: 101, headers: flatHeaders(res.headers), body: '', portForward: { open: () => Promise.resolve(session) } };
}

/** client-go's PortForwarder over an open SPDY session. */
export class PortForwardClientSession implements PortForwardSession {
  private nextRequestId = 0;

  constructor(private readonly spdy: SpdySession) {}

  async forward(port: number, stream: DataStream): Promise<string> {
    const headers = (type: string) => new Map([['streamType', type], ['port', String(port)], ['requestID', String(this.nextRequestId)]]);
    const errorHeaders = headers('error');
    const dataHeaders = headers('data');
    this.nextRequestId++;

    // The error stream: read from its opening, half-closed at once (the client never writes on it).
    const error = this.spdy.open(errorHeaders);
    const errorDecoder = new TextDecoder();
    let message = '';
    error.onData((bytes) => (message += errorDecoder.decode(bytes, { stream: true })));
    const errorEnded = new Promise<void>((resolve) => error.onEnd(resolve));
    try {
      await error.replied;
    } catch (e) {
      return `error creating error stream for port ${port}: ${e instanceof Error ? e.message : String(e)}`;
    }
    error.end();

    const data = this.spdy.open(dataHeaders);
    const decoder = new TextDecoder();
    data.onData((bytes) => {
      const text = decoder.decode(bytes, { stream: true });
      if (text) deliver(stream, text);
    });
    const remoteDone = new Promise<void>((resolve) =>
      data.onEnd(() => {
        deliver(stream, decoder.decode());
        resolve();
      }),
    );
    try {
      await data.replied;
    } catch (e) {
      return `error creating forwarding stream for port ${port}: ${e instanceof Error ? e.message : String(e)}`;
    }
    const localDone = new Promise<void>((resolve) =>
      stream.receive({
        data: (text) => data.write(Buffer.from(text, 'utf8')),
        end: () => {
          data.end();
          resolve();
        },
      }),
    );
    await Promise.race([remoteDone, localDone]);
    await errorEnded;
    return message + errorDecoder.decode();
  }

  close(): void {
    this.spdy.close();
  }
}

/** Write to the local connection; one its client has closed takes no more. */
function deliver(stream: DataStream, text: string): void {
  if (!text) return;
  try {
    stream.write(text);
  } catch {
    // EPIPE: the local client is gone, and the forwarding ends with the server's answer.
  }
}
