/**
 * nginx's HTTP side (ngx_http_core_module, ngx_http_static_module, ngx_http_index_module,
 * ngx_http_log_module), as far as the image's stock configuration uses it: the `listen` addresses of the
 * servers (nginx.conf and the files it includes, e.g. conf.d/default.conf), the document `root` and
 * `index` files, and the `access_log` with the `main` format. A GET or HEAD of a file under the root is
 * 200 with its bytes; a directory is its first index file, or 301 to the path with a slash when asked
 * without one; a missing file is nginx's own 404 page; other methods are 405. Each request is logged
 * in the combined-like `main` format:
 * `10.244.1.1 - - [01/Jan/2026:00:00:05 +0000] "GET / HTTP/1.1" 200 615 "-" "kube-probe/1.32" "-"`.
 *
 * Locations (ngx_http_core_module's `location` and ngx_http_proxy_module's `proxy_pass`): an exact
 * (`location = /x`) location wins, else the longest prefix one; a location with `proxy_pass http://HOST[:PORT][URI]`
 * sends the request upstream (nginx.ts does the exchange), any other is served from the document root.
 * With a URI in proxy_pass, the part of the path the location matched is replaced by it; without one the
 * request's URI goes upstream unchanged. `upstreamRequest` writes the request as nginx does by default
 * (`proxy_http_version 1.0`, `Host: $proxy_host`, `Connection: close`, the client's other headers);
 * `proxiedResponse` turns the upstream's answer into the client's (nginx's own Server and Date).
 *
 * Left out: several servers and server_name matching, regular-expression locations, roots per location
 * (the first root serves), IPv6 listens (skipped), error_page, MIME types beyond a few, conditional
 * requests, ranges, gzip, upstream{} groups, https upstreams, proxy_* directives beyond proxy_pass.
 */
import { KernelError } from '../kernel/errno.ts';
import { isDir } from '../kernel/fs/inode.ts';
import type { Vfs } from '../kernel/fs/vfs.ts';
import { headerValue, utf8Length, type HttpRequest, type HttpResponse } from '../kernel/net/http1.ts';

/** The HTTP settings nginx serves with. */
export interface NginxHttpConf {
  listen: Array<{ address: string; port: number }>;
  root: string;
  index: string[];
  accessLog: string | undefined;
  /** The first `server_name` (empty when there is none), as error log lines name the server. */
  serverName: string;
  locations: NginxLocation[];
}

/** A `location` block: exact (`=`) or prefix, and where it proxies to. */
export interface NginxLocation {
  exact: boolean;
  path: string;
  proxy: ProxyTarget | undefined;
}

/** A `proxy_pass http://HOST[:PORT][URI]` target. */
export interface ProxyTarget {
  host: string;
  port: number;
  /** The URI part, if the directive has one (even `/`). */
  uri: string | undefined;
}

/** `proxy_pass`'s URL, or undefined for one the lab does not proxy to (https, unix sockets). */
export function parseProxyPass(url: string): ProxyTarget | undefined {
  const m = /^http:\/\/([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
  if (!m) return undefined;
  return { host: m[1]!, port: m[2] ? Number(m[2]) : 80, uri: m[3] };
}

/** The location that serves `path`: the exact one, else the longest matching prefix. */
export function findLocation(conf: NginxHttpConf, path: string): NginxLocation | undefined {
  const exact = conf.locations.find((l) => l.exact && l.path === path);
  if (exact) return exact;
  let best: NginxLocation | undefined;
  for (const l of conf.locations) if (!l.exact && path.startsWith(l.path) && (!best || l.path.length > best.path.length)) best = l;
  return best;
}

/** The URI the upstream gets for `target`: the location's part replaced by proxy_pass's URI, if it has one. */
export function upstreamUri(location: NginxLocation, proxy: ProxyTarget, target: string): string {
  if (proxy.uri === undefined) return target;
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  return `${proxy.uri}${path.slice(location.path.length)}${q < 0 ? '' : target.slice(q)}`;
}

/** The request nginx sends upstream: HTTP/1.0, Host $proxy_host, Connection close, the client's other headers. */
export function upstreamRequest(request: HttpRequest, proxy: ProxyTarget, uri: string): string {
  const proxyHost = proxy.port === 80 ? proxy.host : `${proxy.host}:${proxy.port}`;
  const headers: Array<[string, string]> = [['Host', proxyHost], ['Connection', 'close']];
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (lower !== 'host' && lower !== 'connection' && lower !== 'keep-alive' && value !== '') headers.push([name, value]);
  }
  return `${request.method} ${uri} HTTP/1.0\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n${request.body}`;
}

/** The client's response from the upstream's: its status and headers, with nginx's own Server, Date and Connection. */
export function proxiedResponse(
  request: HttpRequest,
  upstream: { start: string[]; headers: Array<[string, string]>; body: string },
  now: number,
  version: string,
): HttpResponse {
  const hidden = new Set(['server', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);
  const keepAlive = request.version === 'HTTP/1.0' || headerValue(request.headers, 'Connection')?.toLowerCase() === 'close' ? 'close' : 'keep-alive';
  const headers: Array<[string, string]> = [['Server', `nginx/${version}`], ['Date', new Date(now).toUTCString()]];
  const rest = upstream.headers.filter(([n]) => !hidden.has(n.toLowerCase()));
  const type = rest.findIndex(([n]) => n.toLowerCase() === 'content-type');
  if (type >= 0) headers.push(...rest.splice(type, 1));
  headers.push(['Content-Length', String(utf8Length(upstream.body))], ['Connection', keepAlive], ...rest);
  return { status: Number(upstream.start[1]), headers, body: request.method === 'HEAD' ? '' : upstream.body };
}

/** nginx's own page for an upstream failure (502, 504). */
export function gatewayError(request: HttpRequest, status: 502 | 504, now: number, version: string): HttpResponse {
  const reason = status === 502 ? 'Bad Gateway' : 'Gateway Time-out';
  const body = errorPage(status, reason, version);
  const close = request.version === 'HTTP/1.0' || headerValue(request.headers, 'Connection')?.toLowerCase() === 'close';
  return {
    status,
    reason,
    headers: [['Server', `nginx/${version}`], ['Date', new Date(now).toUTCString()], ['Content-Type', 'text/html'], ['Content-Length', String(utf8Length(body))], ['Connection', close ? 'close' : 'keep-alive']],
    body: request.method === 'HEAD' ? '' : body,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TYPES: Record<string, string> = { html: 'text/html', htm: 'text/html', css: 'text/css', js: 'application/javascript', txt: 'text/plain', json: 'application/json', png: 'image/png' };

/** The configuration text with its includes spliced in (globs of one directory's files). */
function withIncludes(vfs: Vfs, path: string, depth = 0): string {
  let text: string;
  try {
    text = vfs.readFile(path).replace(/#[^\n]*/g, '');
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
    return '';
  }
  if (depth > 4) return text;
  return text.replace(/\binclude\s+([^;\s]+)\s*;/g, (_m, target: string) => {
    const dir = target.slice(0, target.lastIndexOf('/'));
    const glob = target.slice(target.lastIndexOf('/') + 1);
    if (!glob.includes('*')) return target.endsWith('mime.types') ? '' : withIncludes(vfs, target, depth + 1);
    const re = new RegExp(`^${glob.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
    let names: string[] = [];
    try {
      names = vfs.readdir(dir).map((e) => e.name).filter((n) => re.test(n)).sort();
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
    }
    return names.map((n) => withIncludes(vfs, `${dir}/${n}`, depth + 1)).join('\n');
  });
}

/** The http block's settings nginx serves with. */
export function readHttpConf(vfs: Vfs, confPath: string): NginxHttpConf {
  const text = withIncludes(vfs, confPath);
  const listen: NginxHttpConf['listen'] = [];
  for (const m of text.matchAll(/\blisten\s+([^;\s]+)[^;]*;/g)) {
    const spec = m[1]!;
    if (spec.startsWith('[')) continue;
    const colon = spec.lastIndexOf(':');
    const address = colon < 0 ? (/^\d+$/.test(spec) ? '0.0.0.0' : spec) : spec.slice(0, colon);
    const port = colon < 0 ? (/^\d+$/.test(spec) ? Number(spec) : 80) : Number(spec.slice(colon + 1));
    if (!listen.some((l) => l.address === address && l.port === port)) listen.push({ address: address === '*' ? '0.0.0.0' : address, port });
  }
  if (listen.length === 0 && /\bserver\s*\{/.test(text)) listen.push({ address: '0.0.0.0', port: 80 });
  const root = /\broot\s+([^;\s]+)\s*;/.exec(text)?.[1] ?? '/etc/nginx/html';
  const index = /\bindex\s+([^;]+);/.exec(text)?.[1]?.trim().split(/\s+/) ?? ['index.html'];
  const log = /\baccess_log\s+([^;\s]+)/.exec(text)?.[1];
  const serverName = /\bserver_name\s+([^;\s]+)/.exec(text)?.[1] ?? '';
  const locations: NginxLocation[] = [];
  for (const m of text.matchAll(/\blocation\s+(?:(=|\^~)\s*)?([^\s{~]+)\s*\{([^{}]*)\}/g)) {
    const pass = /\bproxy_pass\s+([^;\s]+)\s*;/.exec(m[3]!)?.[1];
    locations.push({ exact: m[1] === '=', path: m[2]!, proxy: pass === undefined ? undefined : parseProxyPass(pass) });
  }
  return { listen, root, index, accessLog: log === 'off' ? undefined : log, serverName, locations };
}

/** $time_local: `01/Jan/2026:00:00:05 +0000`. */
export function timeLocal(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** nginx's built-in error page for a status. */
export function errorPage(status: number, reason: string, version: string): string {
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`;
}

/** Answer one request from the document root; also returns the access log line's status and body size. */
export function serveStatic(vfs: Vfs, conf: NginxHttpConf, request: HttpRequest, now: number, version: string): HttpResponse {
  const common: Array<[string, string]> = [['Server', `nginx/${version}`], ['Date', new Date(now).toUTCString()]];
  const keepAlive: [string, string] = ['Connection', request.version === 'HTTP/1.0' || headerValue(request.headers, 'Connection')?.toLowerCase() === 'close' ? 'close' : 'keep-alive'];
  const page = (status: number, reason: string, extra: Array<[string, string]> = []): HttpResponse => ({
    status,
    headers: [...common, ['Content-Type', 'text/html'], ['Content-Length', String(utf8Length(errorPage(status, reason, version)))], keepAlive, ...extra],
    body: request.method === 'HEAD' ? '' : errorPage(status, reason, version),
  });
  if (request.method !== 'GET' && request.method !== 'HEAD') return page(405, 'Not Allowed');
  const path = decodeURIComponent(request.target.split('?')[0] ?? '/');
  const file = (p: string) => `${conf.root.replace(/\/$/, '')}${p}`;
  const statOf = (p: string) => {
    try {
      return vfs.stat(p);
    } catch (error) {
      if (error instanceof KernelError) return undefined;
      throw error;
    }
  };
  let target = file(path);
  let st = statOf(target);
  if (st && isDir(st.mode)) {
    if (!path.endsWith('/')) return page(301, 'Moved Permanently', [['Location', `http://${headerValue(request.headers, 'Host') ?? 'localhost'}${path}/`]]);
    const found = conf.index.map((i) => `${target}${i}`).find((p) => statOf(p) && !isDir(statOf(p)!.mode));
    if (!found) return page(403, 'Forbidden');
    target = found;
    st = statOf(found);
  }
  if (!st) return page(404, 'Not Found');
  let body: string;
  try {
    body = vfs.readFile(target);
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
    return page(error.code === 'EACCES' ? 403 : 404, error.code === 'EACCES' ? 'Forbidden' : 'Not Found');
  }
  const ext = target.slice(target.lastIndexOf('.') + 1);
  return {
    status: 200,
    headers: [...common, ['Content-Type', TYPES[ext] ?? 'application/octet-stream'], ['Content-Length', String(utf8Length(body))], ['Last-Modified', new Date(st.mtimeMs).toUTCString()], keepAlive, ['Accept-Ranges', 'bytes']],
    body: request.method === 'HEAD' ? '' : body,
  };
}

/** The `main` log_format line of a request and its response. */
export function accessLogLine(remote: string, request: HttpRequest, response: HttpResponse, now: number): string {
  const h = (name: string) => headerValue(request.headers, name) || '-';
  return `${remote} - - [${timeLocal(now)}] "${request.method} ${request.target} ${request.version}" ${response.status} ${utf8Length(response.body)} "${h('Referer')}" "${h('User-Agent')}" "${h('X-Forwarded-For')}"\n`;
}
