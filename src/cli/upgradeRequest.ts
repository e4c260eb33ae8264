/**
 * An HTTP/1.1 request asking to upgrade the connection (to a WebSocket, or to SPDY/3.1), as client-go's
 * dialers send it: the upgraded socket with the response and whatever the server sent after it, or — when
 * the server answers without upgrading — that plain response (a Status, the kubelet's text) read whole.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

export type Refusal = { status: number; headers: Record<string, string>; body: string };
export type Upgraded = { res: IncomingMessage; socket: Socket; head: Buffer };

/** One upgrade request: the upgraded socket, or the response that refused it. */
export function upgradeRequest(url: URL, method: string, headers: Record<string, string>): Promise<Upgraded | Refusal> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers });
    req.on('upgrade', (res, socket: Socket, head: Buffer) => resolve({ res, socket, head }));
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Node's response headers as one string each (repeated ones joined with ", "). */
export function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
