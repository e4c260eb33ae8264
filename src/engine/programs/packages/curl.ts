/**
 * curl — curl 8 (Alpine's 8.11, Ubuntu's 8.5) and 7.88 (Debian's, the nginx image's) fetching an http://
 * URL over the lab's TCP: the one home of curl's options, request, response and messages, run by the
 * `curl` program inside hosts and containers (`Curl`, through the kernel's sockets in the process's
 * network namespace, names resolved by the C library's resolver: /etc/hosts, then DNS over UDP as
 * /etc/resolv.conf says — resolver/resolver.ts) and by the laptop's `curl` command
 * (shell/commands/curl.ts, through the laptop's loopback).
 *
 * The request is `GET` (`-I` HEAD, `-d` POST with a form body, `-X` any method) with curl's Host,
 * User-Agent and Accept headers and `-H`'s; the response's body goes to stdout or `-o FILE`, with `-i` or
 * `-I` after its header block, `-v` tracing the resolution, the connection and both header blocks on
 * stderr. Addresses are tried IPv6 first, then IPv4 (a machine without IPv6 resolves IPv4 only). Errors
 * are curl's: `curl: (6) Could not resolve host: NAME`, `curl: (7) Failed to connect to HOST port N after
 * T ms: Couldn't connect to server` (28 when the SYN timed out), `curl: (22) The requested URL returned
 * error: 404` with `-f`, `curl: (52) Empty reply from server`; `-s` silences them unless `-S` is given.
 *
 * Left out: TLS (an https:// URL that connects fails with status 35), ftp and file URLs, redirects (`-L`
 * is accepted), chunked responses, the progress meter, `-w` formats, `-m` and `--connect-timeout` (accepted),
 * `--help`/`--version` text.
 */
import type { Host } from '../../kernel/host.ts';
import { KernelError } from '../../kernel/errno.ts';
import { MessageReader, utf8Length, type Headers } from '../../kernel/net/http1.ts';
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import { hostNetwork, type Connection, type LocalNetwork } from '../../cluster/loopback.ts';
import { getaddrinfo, resolverFor } from '../resolver/resolver.ts';
import { exists } from './packageFiles.ts';

export { hostsLookup } from '../resolver/resolver.ts';

/** Options that take a value (short ones may carry it attached: `-ofile`). */
const WITH_VALUE = new Set(['-o', '--output', '-X', '--request', '-H', '--header', '-d', '--data', '--data-raw', '-u', '--user', '-A', '--user-agent', '-m', '--max-time', '--connect-timeout', '-w', '--write-out', '-e', '--referer']);
const LONG_FLAGS: Readonly<Record<string, string>> = {
  '--silent': 's', '--show-error': 'S', '--fail': 'f', '--include': 'i', '--head': 'I', '--verbose': 'v', '--location': 'L', '--remote-name': 'O',
};
const LONG_VALUES: Readonly<Record<string, string>> = {
  '--output': 'o', '--request': 'X', '--header': 'H', '--data': 'd', '--data-raw': 'd', '--user': 'u', '--user-agent': 'A', '--max-time': 'm', '--connect-timeout': 'c', '--write-out': 'w', '--referer': 'e',
};

/** What a run of curl is given by where it runs. */
export interface CurlEnv {
  /** The arguments after `curl`. */
  readonly args: readonly string[];
  /** `8.5.0`, `7.88.1`… */
  readonly version: string;
  readonly network: LocalNetwork;
  /** The addresses a name has (getaddrinfo's), or undefined when it does not resolve. */
  resolve(name: string): readonly string[] | undefined | Promise<readonly string[] | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Write `-o`'s file (relative to the working directory); throws when it cannot. */
  writeFile(path: string, data: string): void;
  now(): number;
}

interface Options {
  silent: boolean;
  showError: boolean;
  fail: boolean;
  include: boolean;
  head: boolean;
  verbose: boolean;
  output?: string;
  remoteName: boolean;
  method?: string;
  headers: Headers;
  data?: string;
  userAgent?: string;
  /** -w's format. */
  writeOut?: string;
  urls: string[];
}

function parseArgs(args: readonly string[]): Options {
  const o: Options = { silent: false, showError: false, fail: false, include: false, head: false, verbose: false, remoteName: false, headers: [], urls: [] };
  const flag = (c: string) => {
    if (c === 's') o.silent = true;
    else if (c === 'S') o.showError = true;
    else if (c === 'f') o.fail = true;
    else if (c === 'i') o.include = true;
    else if (c === 'I') o.head = true;
    else if (c === 'v') o.verbose = true;
    else if (c === 'O') o.remoteName = true;
  };
  const value = (c: string, v: string) => {
    if (c === 'o') o.output = v;
    else if (c === 'X') o.method = v;
    else if (c === 'H') {
      const colon = v.indexOf(':');
      if (colon > 0) o.headers.push([v.slice(0, colon).trim(), v.slice(colon + 1).trim()]);
    } else if (c === 'd') o.data = o.data === undefined ? v : `${o.data}&${v}`;
    else if (c === 'A') o.userAgent = v;
    else if (c === 'w') o.writeOut = v;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg : arg.slice(0, eq);
      if (LONG_VALUES[name]) value(LONG_VALUES[name], eq < 0 ? (args[++i] ?? '') : arg.slice(eq + 1));
      else if (LONG_FLAGS[name]) flag(LONG_FLAGS[name]);
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j]!;
        if (WITH_VALUE.has(`-${c}`)) {
          value(c, j + 1 < arg.length ? arg.slice(j + 1) : (args[++i] ?? ''));
          break;
        }
        flag(c);
      }
    } else o.urls.push(arg);
  }
  return o;
}

/** Square brackets around an IPv6 address, as curl prints an address with a port. */
function bracket(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** What -w's variables read from a finished (or failed) transfer. */
interface Transfer {
  url: string;
  method: string;
  scheme: string;
  code: number;
  exitCode: number;
  errorMessage: string;
  remote?: { address: string; port: number };
  local?: { address: string; port: number };
  contentType: string;
  sizeDownload: number;
  sizeHeader: number;
  connects: number;
  /** Virtual ms from the start: the name resolved, the connection made, the first response byte. */
  nameLookupMs: number;
  connectMs: number;
  startTransferMs: number;
  timeTotalMs: number;
}

/**
 * -w/--write-out (src/tool_writeout.c): `%{name}` variables, `%%`, and the \n \r \t escapes; `%{stderr}` and
 * `%{stdout}` switch where the rest goes. A name curl does not know is warned about on stderr.
 */
function writeOut(format: string, t: Transfer, env: Pick<CurlEnv, 'stdout' | 'stderr'>): void {
  const seconds = (ms: number) => (ms / 1000).toFixed(6);
  const vars: Record<string, () => string> = {
    http_code: () => String(t.code).padStart(3, '0'),
    response_code: () => String(t.code).padStart(3, '0'),
    remote_ip: () => t.remote?.address ?? '',
    remote_port: () => (t.remote ? String(t.remote.port) : ''),
    local_ip: () => t.local?.address ?? '',
    local_port: () => (t.local ? String(t.local.port) : ''),
    content_type: () => t.contentType,
    size_download: () => String(t.sizeDownload),
    size_header: () => String(t.sizeHeader),
    url: () => t.url,
    url_effective: () => t.url,
    method: () => t.method,
    scheme: () => t.scheme.toUpperCase(),
    num_connects: () => String(t.connects),
    exitcode: () => String(t.exitCode),
    errormsg: () => t.errorMessage,
    time_total: () => seconds(t.timeTotalMs),
    time_namelookup: () => seconds(t.nameLookupMs),
    time_connect: () => seconds(t.connectMs),
    time_starttransfer: () => seconds(t.startTransferMs),
  };
  let out = env.stdout;
  let text = '';
  const flush = () => {
    if (text) out(text);
    text = '';
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '\\' && i + 1 < format.length) {
      const e = format[i + 1]!;
      const escaped = e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : undefined;
      if (escaped !== undefined) {
        text += escaped;
        i++;
        continue;
      }
    }
    if (c === '%' && format[i + 1] === '%') {
      text += '%';
      i++;
      continue;
    }
    if (c === '%' && format[i + 1] === '{') {
      const close = format.indexOf('}', i + 2);
      if (close > 0) {
        const name = format.slice(i + 2, close);
        i = close;
        if (name === 'stdout' || name === 'stderr') {
          flush();
          out = name === 'stdout' ? env.stdout : env.stderr;
        } else if (vars[name]) text += vars[name]();
        else {
          flush();
          env.stderr(`curl: unknown --write-out variable: '${name}'\n`);
        }
        continue;
      }
    }
    text += c;
  }
  flush();
}

/** Run curl; resolves with its exit status. */
export async function runCurl(env: CurlEnv): Promise<number> {
  const o = parseArgs(env.args);
  const transfer: Transfer = { url: '', method: 'GET', scheme: 'http', code: 0, exitCode: 0, errorMessage: '', contentType: '', sizeDownload: 0, sizeHeader: 0, connects: 0, nameLookupMs: 0, connectMs: 0, startTransferMs: 0, timeTotalMs: 0 };
  const started = env.now();
  const status = await transferOnce(env, o, transfer);
  if (o.writeOut !== undefined) {
    transfer.exitCode = status;
    transfer.timeTotalMs = env.now() - started;
    writeOut(o.writeOut, transfer, env);
  }
  return status;
}

async function transferOnce(env: CurlEnv, o: Options, transfer: Transfer): Promise<number> {
  const modern = Number(env.version.split('.')[0]) >= 8;
  const trace = (text: string) => {
    if (o.verbose) env.stderr(text);
  };
  if (o.urls.length === 0) {
    env.stderr("curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const fail = (code: number, message: string): number => {
    transfer.errorMessage = message;
    if (!o.silent || o.showError) env.stderr(`curl: (${code}) ${message}\n`);
    return code;
  };
  const url = o.urls[0]!;
  transfer.url = url;
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?(?:[^@/]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d+))?([^#]*)/.exec(url);
  const scheme = (m?.[1] ?? 'http').toLowerCase();
  transfer.scheme = scheme;
  const hostName = m?.[2] ?? '';
  const defaultPort = scheme === 'https' ? 443 : scheme === 'ftp' ? 21 : 80;
  const port = m?.[3] ? Number(m[3]) : defaultPort;
  const target = m?.[4] || '/';
  if (!['http', 'https'].includes(scheme)) return fail(1, `Protocol "${scheme}" not supported`);
  const literal = hostName.startsWith('[') ? hostName.slice(1, -1) : /^\d{1,3}(\.\d{1,3}){3}$/.test(hostName) ? hostName : undefined;
  const start = env.now();
  let addresses: string[];
  if (literal !== undefined) addresses = [literal];
  else {
    const found = await env.resolve(hostName.toLowerCase());
    if (!found) {
      trace(`* Could not resolve host: ${hostName}\n${modern ? '* Closing connection\n' : '* Closing connection 0\n'}`);
      return fail(6, `Could not resolve host: ${hostName}`);
    }
    const v6 = env.network.ipv6 ? found.filter((a) => a.includes(':')) : [];
    const v4 = found.filter((a) => !a.includes(':'));
    addresses = [...v6, ...v4];
    if (modern) trace(`* Host ${hostName}:${port} was resolved.\n* IPv6: ${v6.join(', ') || '(none)'}\n* IPv4: ${v4.join(', ') || '(none)'}\n`);
  }
  transfer.nameLookupMs = env.now() - start;
  let conn: Connection | undefined;
  let timedOut = false;
  for (const address of addresses) {
    trace(`*   Trying ${bracket(address)}:${port}...\n`);
    try {
      conn = await env.network.connect(address, port);
      break;
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      if (error.code === 'ETIMEDOUT') timedOut = true;
      trace(`* connect to ${address} port ${port} failed: ${error.describe}\n`);
    }
  }
  const elapsed = () => env.now() - start;
  if (!conn) {
    const message = `Failed to connect to ${hostName} port ${port} after ${elapsed()} ms: Couldn't connect to server`;
    trace(`* ${message}\n${modern ? '* Closing connection\n' : '* Closing connection 0\n'}`);
    return fail(timedOut ? 28 : 7, message);
  }
  transfer.connects = 1;
  transfer.connectMs = env.now() - start;
  transfer.remote = { address: conn.remote.address, port: conn.remote.port };
  transfer.local = { address: conn.local.address, port: conn.local.port };
  trace(`* Connected to ${hostName} (${conn.remote.address}) port ${port}${modern ? '' : ' (#0)'}\n`);
  if (scheme === 'https') {
    conn.close();
    return fail(35, `OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to ${hostName}:${port} `);
  }
  const method = o.method ?? (o.head ? 'HEAD' : o.data !== undefined ? 'POST' : 'GET');
  transfer.method = method;
  const hostHeader = port === defaultPort ? hostName : `${hostName}:${port}`;
  const headers: Headers = [['Host', hostHeader], ['User-Agent', o.userAgent ?? `curl/${env.version}`], ['Accept', '*/*']];
  if (o.data !== undefined) headers.push(['Content-Length', String(o.data.length)], ['Content-Type', 'application/x-www-form-urlencoded']);
  for (const [name, v] of o.headers) {
    const i = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (i >= 0) headers[i] = [name, v];
    else headers.push([name, v]);
  }
  const head = `${method} ${target} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  trace(head.split('\r\n').slice(0, -1).map((l) => `> ${l}\n`).join(''));
  const response = await exchange(conn, head + (o.data ?? ''), method === 'HEAD');
  conn.close();
  if (!response) {
    trace(`* Empty reply from server\n${modern ? '* Closing connection\n' : '* Closing connection 0\n'}`);
    return fail(52, 'Empty reply from server');
  }
  const [version = '', status = '', reason = ''] = response.start;
  const statusLine = `${version} ${status}${reason ? ` ${reason}` : ''}`;
  const headerBlock = `${statusLine}\r\n${response.headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  trace(headerBlock.split('\r\n').slice(0, -1).map((l) => `< ${l}\n`).join(''));
  transfer.code = Number(status) || 0;
  transfer.startTransferMs = env.now() - start;
  transfer.contentType = response.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
  transfer.sizeHeader = utf8Length(headerBlock);
  transfer.sizeDownload = utf8Length(response.body);
  if (o.fail && Number(status) >= 400) {
    trace(`* The requested URL returned error: ${status}\n${modern ? '* Closing connection\n' : '* Closing connection 0\n'}`);
    return fail(22, `The requested URL returned error: ${status}`);
  }
  const out = (o.include || o.head ? headerBlock : '') + response.body;
  const file = o.output ?? (o.remoteName ? target.split('?')[0]!.split('/').pop() || 'curl_response' : undefined);
  if (file !== undefined) {
    try {
      env.writeFile(file, out);
    } catch {
      return fail(23, 'Failure writing output to destination');
    }
    if (response.body) trace(`{ [${utf8Length(response.body)} bytes data]\n`);
  } else env.stdout(out);
  trace(`* Connection #0 to host ${hostName} left intact\n`);
  return 0;
}

/** A response's status line and header fields (a HEAD response, which has no body). */
function parseHead(text: string): { start: string[]; headers: Headers; body: string } {
  const [first = '', ...lines] = text.split('\r\n');
  const sp1 = first.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : first.indexOf(' ', sp1 + 1);
  const start = sp1 < 0 ? [first, '', ''] : sp2 < 0 ? [first.slice(0, sp1), first.slice(sp1 + 1), ''] : [first.slice(0, sp1), first.slice(sp1 + 1, sp2), first.slice(sp2 + 1)];
  const headers: Headers = lines.map((l) => {
    const colon = l.indexOf(':');
    return colon < 0 ? [l, ''] : [l.slice(0, colon), l.slice(colon + 1).trim()];
  });
  return { start, headers, body: '' };
}

/** Send the request and read one response: undefined when the server closed without answering. */
function exchange(conn: Connection, request: string, head: boolean): Promise<{ start: string[]; headers: Headers; body: string } | undefined> {
  return new Promise((resolve) => {
    let received = '';
    const reader = new MessageReader('response');
    conn.receive({
      data: (chunk) => {
        received += chunk;
        if (head) {
          // A HEAD response has no body whatever its Content-Length says: the header block is all of it.
          const end = received.indexOf('\r\n\r\n');
          if (end >= 0) resolve(parseHead(received.slice(0, end)));
          return;
        }
        const [message] = reader.push(chunk);
        if (message) resolve(message);
      },
      end: () => resolve(head ? undefined : reader.end()),
    });
    try {
      conn.write(request);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      resolve(undefined);
    }
  });
}

/** The `curl` program on an emulated host: its kernel's sockets, its /etc/hosts. */
export class Curl implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    const { process } = sys;
    const vfs = this.host.vfsFor(process);
    const version = exists(vfs, '/lib/apk/db/installed') ? '8.11.1' : exists(vfs, '/etc/os-release') && /^ID=ubuntu$/m.test(vfs.readFile('/etc/os-release')) ? '8.5.0' : '7.88.1';
    void runCurl({
      args: process.argv.slice(1),
      version,
      network: hostNetwork(this.host, process),
      resolve: (name) => getaddrinfo(name, resolverFor(this.host, process), { family: 'inet' }).then((r) => (r.kind === 'found' ? r.addresses : undefined)),
      stdout: (text) => process.stdio.stdout.write(text),
      stderr: (text) => process.stdio.stderr.write(text),
      writeFile: (path, data) => vfs.writeFile(path.startsWith('/') ? path : `${process.cwd.replace(/\/$/, '')}/${path}`, data),
      now: () => sys.now(),
    }).then((code) => {
      if (!process.exitState) sys.exit(code);
    });
  }
}
