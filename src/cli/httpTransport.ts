/**
 * HttpTransport — the REST client's transport over real HTTP (Node's fetch), for the CLI and for tests
 * against `kubelab serve` or any apiserver. A watch response's body is read as it streams and split into
 * event lines, delivered through the same WatchStream the in-process transport returns.
 */
import { WatchStream, type ApiRequest, type ApiResponse } from '../engine/apiserver/http.ts';
import type { Transport } from '../engine/client/rest/transport.ts';

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
    const controller = new AbortController();
    const response = await fetch(url, { method: request.method, headers, body: request.body === undefined || request.method === 'GET' ? undefined : request.body, signal: controller.signal });
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, key) => (responseHeaders[key] = value));
    const isWatch = request.query.get('watch') === 'true' || request.query.get('watch') === '1';
    if (!isWatch || !response.ok || !response.body) {
      return { status: response.status, headers: responseHeaders, body: await response.text() };
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
