/**
 * The HTTP probe (pkg/probe/http): a GET over a fresh connection (keep-alives off, so `Connection:
 * close`), with `User-Agent: kube-probe/1.32` and `Accept: *\/*` unless the probe's httpHeaders set
 * them (an empty Accept removes it; a Host header sets the request's host). 200–399 succeeds with the
 * body (10 KiB at most) as output; any other status fails with `HTTP probe failed with statuscode: 500`
 * (never the body, kubernetes#99425). A request that fails — refused, reset, or no answer within the
 * timeout — fails with Go's error text: `Get "http://10.244.1.5:8080/healthz": dial tcp
 * 10.244.1.5:8080: connect: connection refused`, `…: context deadline exceeded (Client.Timeout exceeded
 * while awaiting headers)`.
 *
 * Left out: HTTPS (scheme HTTPS is dialled but not encrypted: the lab has no TLS), following redirects
 * (a 3xx is taken as it comes: success), proxies.
 */
import type { Clock } from '../../../base/clock.ts';
import type { NetNamespace } from '../../../kernel/ns/netNamespace.ts';
import { formatRequest, MessageReader, type Headers } from '../../../kernel/net/http1.ts';
import type { Tcp } from '../../../kernel/net/tcp.ts';
import { dial } from './tcp.ts';
import type { ProbeOutcome } from './probe.ts';

/** maxRespBodyLength. */
export const HTTP_MAX_BODY = 10 * 1024;
/** The probes' User-Agent: kube-<purpose>/<major>.<minor>. */
export const PROBE_USER_AGENT = 'kube-probe/1.32';

export interface HttpProbeRequest {
  scheme: string;
  host: string;
  port: number;
  path: string;
  headers: ReadonlyArray<{ name: string; value: string }>;
}

/** The URL as Go prints it in errors: `http://10.244.1.5:8080/healthz`. */
export function probeUrl(r: HttpProbeRequest): string {
  const path = r.path === '' ? '' : r.path.startsWith('/') ? r.path : `/${r.path}`;
  return `${r.scheme.toLowerCase()}://${r.host}:${r.port}${path}`;
}

/** The request's header lines in the order Go writes them: Host, User-Agent, Connection, then the rest sorted. */
export function requestHeaders(r: HttpProbeRequest): Headers {
  const custom = new Map<string, string[]>();
  for (const h of r.headers) {
    const name = h.name.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1).toLowerCase()).join('-');
    custom.set(name, [...(custom.get(name) ?? []), h.value]);
  }
  const host = custom.get('Host')?.[0] ?? `${r.host}:${r.port}`;
  custom.delete('Host');
  const agent = custom.get('User-Agent')?.[0] ?? PROBE_USER_AGENT;
  custom.delete('User-Agent');
  if (!custom.has('Accept')) custom.set('Accept', ['*/*']);
  else if (custom.get('Accept')?.[0] === '') custom.delete('Accept');
  const out: Headers = [['Host', host]];
  if (agent !== '') out.push(['User-Agent', agent]);
  out.push(['Connection', 'close']);
  for (const name of [...custom.keys()].sort()) for (const v of custom.get(name)!) out.push([name, v]);
  return out;
}

export async function httpProbe(clock: Clock, tcp: Tcp, from: NetNamespace, request: HttpProbeRequest, timeoutSeconds: number): Promise<ProbeOutcome> {
  const url = probeUrl(request);
  const get = (why: string): ProbeOutcome => ({ result: 'failure', output: `Get ${JSON.stringify(url)}: ${why}` });
  const timeoutMs = timeoutSeconds * 1000;
  const start = clock.now();
  const socket = await dial(tcp, from, request.host, request.port, timeoutMs);
  if (typeof socket === 'string') return get(socket.endsWith('i/o timeout') ? `${socket} (Client.Timeout exceeded while awaiting headers)` : socket);
  const target = url.slice(url.indexOf('/', url.indexOf('//') + 2)) || '/';
  const response = await new Promise<{ status: number; body: string } | string>((resolve) => {
    const timer = clock.after(Math.max(0, timeoutMs - (clock.now() - start)), () => {
      socket.close();
      resolve('context deadline exceeded (Client.Timeout exceeded while awaiting headers)');
    }, 'kubelet: http probe');
    const reader = new MessageReader('response');
    const done = (m: { start: string[]; body: string } | undefined, why: string) => {
      timer.cancel();
      socket.close();
      resolve(m ? { status: Number(m.start[1]), body: m.body } : why);
    };
    socket.receive({
      data: (chunk) => {
        const [m] = reader.push(chunk);
        if (m) done(m, '');
      },
      end: (how) => done(reader.end(), how === 'reset' ? `read tcp ${socket.local.address}:${socket.local.port}->${socket.remote.address}:${socket.remote.port}: read: connection reset by peer` : 'EOF'),
    });
    socket.write(formatRequest({ method: 'GET', target, version: 'HTTP/1.1', headers: requestHeaders(request), body: '' }));
  });
  if (typeof response === 'string') return get(response);
  const body = response.body.slice(0, HTTP_MAX_BODY);
  if (response.status >= 200 && response.status < 400) return { result: 'success', output: body };
  return { result: 'failure', output: `HTTP probe failed with statuscode: ${response.status}` };
}
