/**
 * HttpTransport — the REST client's transport over real HTTP (Node's fetch), for the CLI and for tests
 * against `kubelab serve` or any apiserver. A watch response's body is read as it streams and split into
 * event lines, delivered through the same WatchStream the in-process transport returns; a followed log
 * (`pods/NAME/log?follow=true`) through a BodyStream, chunk by chunk. A pod's `exec` and `attach` are
 * WebSocket upgrades (wsStreamExecutor.ts), answered with the StreamConnection the in-process apiserver
 * gives, or with the server's refusal; its `portforward` is SPDY/3.1, tunneled in a WebSocket or on the
 * upgraded connection itself (portforwardClient.ts), answered with a PortForwardConnection.
 */
import { BodyStream, WatchStream, type ApiRequest, type ApiResponse } from '../engine/apiserver/http.ts';
import type { Transport } from '../engine/client/rest/transport.ts';
import { dialPortForward } from './portforwardClient.ts';
import { dial } from './wsStreamExecutor.ts';

/** The subresources that upgrade the connection. */
const UPGRADES = /^\/api\/v1\/namespaces\/[^/]+\/pods\/[^/]+\/(exec|attach|portforward)$/;

export class HttpTransport implements Transport {
  constructor(
    private readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  async request(request: ApiRequest): Promise<ApiResponse> {
    const url = new URL(request.path, this.baseUrl);
    request.query.forEach((value, key) => url.searchParams.append(key, value));
    const headers: Record<string, string> = { ...request.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const upgrade = UPGRADES.exec(request.path);
    if (upgrade?.[1] === 'portforward') return dialPortForward(url, headers);
    if (upgrade) {
      // The SPDY negotiation header has no meaning on a WebSocket.
      delete headers['x-stream-protocol-version'];
      const result = await dial(url, headers);
      if (!('connection' in result)) return result;
      return { status: 101, headers: { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-protocol': result.protocol }, body: '', connection: result.connection };
    }
    const controller = new AbortController();
    const response = await fetch(url, { method: request.method, headers, body: request.body === undefined || request.method === 'GET' ? undefined : request.body, signal: controller.signal });
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, key) => (responseHeaders[key] = value));
    const isWatch = request.query.get('watch') === 'true' || request.query.get('watch') === '1';
    const isFollow = request.path.endsWith('/log') && (request.query.get('follow') === 'true' || request.query.get('follow') === '1');
    if (!(isWatch || isFollow) || !response.ok || !response.body) {
      return { status: response.status, headers: responseHeaders, body: await response.text() };
    }
    if (isFollow) {
      const stream = new BodyStream();
      stream.setStopper(() => controller.abort());
      void pumpText(response.body, stream);
      return { status: response.status, headers: responseHeaders, body: '', stream };
    }
    const stream = new WatchStream();
    stream.setStopper(() => controller.abort());
    void pump(response.body, stream);
    return { status: response.status, headers: responseHeaders, body: '', watch: stream };
  }
}

async function pump(body: ReadableStream<Uint8Array>, stream: WatchStream): Promise<void> {
  const decoder = new TextDecoder();
  let pending = '';
  try {
    for await (const chunk of body) {
      pending += decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (line) stream.write(line);
      }
    }
  } catch {
    // Aborted by stop(), or the connection dropped: either way the watch has ended.
  } finally {
    stream.end();
  }
}

async function pumpText(body: ReadableStream<Uint8Array>, stream: BodyStream): Promise<void> {
  const decoder = new TextDecoder();
  try {
    for await (const chunk of body) stream.write(decoder.decode(chunk, { stream: true }));
    stream.write(decoder.decode());
  } catch {
    // Aborted by stop(), or the connection dropped: either way the body has ended.
  } finally {
    stream.end();
  }
}
