/**
 * kubelab serve — the lab's API over plain HTTP on 127.0.0.1, for a real kubectl. The cluster runs on the
 * real-time clock; every request goes to the same in-process apiserver the browser uses. Watches stream
 * as chunked JSON lines, as the apiserver's do. Ctrl-C stops it cleanly.
 *
 * client-go never sends a bearer token over plain HTTP, so this port behaves as the apiserver's old
 * insecure port on 127.0.0.1 (and as `kubectl proxy`) did: a request with no credentials acts as the
 * cluster admin. A request that does carry a token (the lab's own HttpTransport) is authenticated as that
 * token's user, so RBAC still has its say.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import type { ApiRequest, ApiResponse } from '../engine/apiserver/http.ts';

export interface ServeTarget {
  handle(request: ApiRequest): ApiResponse;
}

export const DEFAULT_PORT = 6443;
export const ADMIN_TOKEN = 'kubelab-admin-token';

/** A kubeconfig for the served cluster, as kubeadm names things (cluster "kubernetes", user "kubernetes-admin"). */
export function kubeconfig(port: number): string {
  return `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: http://127.0.0.1:${port}
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
preferences: {}
users:
- name: kubernetes-admin
  user: {}
`;
}

const MAX_BODY = 8 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // The apiserver refuses anything over 3 MiB; what is kept of a runaway body is enough for that.
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function toApiRequest(req: IncomingMessage, body: Buffer): ApiRequest {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name.toLowerCase()] = value;
  // Protobuf bodies are bytes; everything else the apiserver reads is UTF-8 text.
  const binary = (headers['content-type'] ?? '').startsWith('application/vnd.kubernetes.protobuf');
  return { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, ...(binary ? { rawBody: new Uint8Array(body) } : { body: body.toString('utf8') }) };
}

export function startServer(target: ServeTarget, port: number, onError: (e: unknown) => void): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    readBody(req)
      .then((body) => {
        const request = toApiRequest(req, body);
        const response = target.handle(request.headers.authorization ? request : { ...request, headers: { ...request.headers, authorization: `Bearer ${ADMIN_TOKEN}` } });
        res.writeHead(response.status, response.headers);
        const watch = response.watch;
        if (!watch) {
          res.end(response.body);
          return;
        }
        res.flushHeaders();
        watch.onEvent((line) => res.write(line + '\n'));
        watch.onEnd(() => res.end());
        // The client went away (kubectl get -w interrupted): stop the server-side watch.
        res.on('close', () => watch.stop());
      })
      .catch((e: unknown) => {
        onError(e);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `Internal error occurred: ${String(e)}`, reason: 'InternalError', code: 500 }));
      });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

export function writeKubeconfig(path: string, port: number): void {
  writeFileSync(path, kubeconfig(port), { mode: 0o600 });
}
