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
 * Left out: several servers and server_name matching, locations beyond the first root, IPv6 listens
 * (skipped), error_page, MIME types beyond a few, conditional requests, ranges, gzip, proxying.
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
  return { listen, root, index, accessLog: log === 'off' ? undefined : log };
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
