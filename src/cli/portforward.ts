/**
 * portforward — the server's side of portforward.k8s.io over a SPDY session (the kubelet's
 * pkg/kubelet/cri/streaming/portforward httpstream.go), for `kubelab serve`: kubectl opens, for each
 * connection it accepts locally, a pair of streams with the same `requestID` header — `streamType:
 * error` and `streamType: data`, each with the pod's `port`. Once both are open, the data stream is
 * forwarded to the port through the engine's PortForwardSession; when the forwarding ends, what went
 * wrong (if anything) is written on the error stream, and both streams are finished.
 *
 * Text crosses as UTF-8, as the engine's data streams carry strings.
 */
import type { DataStream, PortForwardSession } from '../engine/apiserver/http.ts';
import type { SpdySession, SpdyStream } from './spdy.ts';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** The WebSocket subprotocol of SPDY tunneled over a WebSocket (kubectl 1.31+, PortForwardWebsockets). */
export const TUNNELED_PORT_FORWARD_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

/** Forward every stream pair the client opens on `spdy` through `session`. */
export function servePortForward(spdy: SpdySession, session: PortForwardSession): void {
  const pairs = new Map<string, { error?: SpdyStream; data?: SpdyStream; stream?: DataStream }>();
  spdy.onStream((stream) => {
    const type = stream.headers.get('streamtype');
    const requestId = stream.headers.get('requestid') ?? '';
    if (type !== 'error' && type !== 'data') {
      stream.reset();
      return;
    }
    const pair = pairs.get(requestId) ?? {};
    pair[type] = stream;
    // Read from the moment the stream opens: the engine subscribes only once its dial is done.
    if (type === 'data') pair.stream = bufferedData(stream);
    pairs.set(requestId, pair);
    if (!pair.error || !pair.data || !pair.stream) return;
    pairs.delete(requestId);
    forward(session, pair.error, pair.data, pair.stream);
  });
  spdy.onEnd(() => session.close());
}

function forward(session: PortForwardSession, error: SpdyStream, data: SpdyStream, stream: DataStream): void {
  const portHeader = data.headers.get('port') ?? '';
  const port = /^\d+$/.test(portHeader) && Number(portHeader) > 0 && Number(portHeader) < 65536 ? Number(portHeader) : undefined;
  const finish = (message: string) => {
    if (message) error.write(Buffer.from(message, 'utf8'));
    error.end();
    data.end();
  };
  if (port === undefined) return finish(`unable to parse port "${portHeader}"`);
  session.forward(port, stream).then(finish, (e: unknown) => finish(e instanceof Error ? e.message : String(e)));
}

/** The engine's view of a data stream: what the client sends, kept until the engine reads it. */
function bufferedData(data: SpdyStream): DataStream {
  const decoder = new TextDecoder();
  let held: string[] | undefined = [];
  let ended = false;
  let handlers: { data(chunk: string): void; end?(): void } | undefined;
  data.onData((bytes) => {
    const text = decoder.decode(bytes, { stream: true });
    if (!text) return;
    if (handlers) handlers.data(text);
    else held?.push(text);
  });
  data.onEnd(() => {
    const rest = decoder.decode();
    ended = true;
    if (!handlers) {
      if (rest) held?.push(rest);
      return;
    }
    if (rest) handlers.data(rest);
    handlers.end?.();
  });
  return {
    write: (text) => data.write(Buffer.from(text, 'utf8')),
    receive: (h) => {
      handlers = h;
      for (const chunk of held ?? []) h.data(chunk);
      held = undefined;
      if (ended) h.end?.();
    },
    close: () => data.end(),
  };
}
