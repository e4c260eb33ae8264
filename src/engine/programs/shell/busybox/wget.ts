/**
 * wget — busybox 1.36's applet fetching an http:// URL (`wget [-q] [-O FILE] [-T SEC] [-U AGENT]
 * [--header STR] [--spider] URL`): the host name through the C library's resolver (getaddrinfo,
 * resolver/resolver.ts: /etc/hosts, then DNS as /etc/resolv.conf says), the connection through the
 * kernel's TCP in the process's network namespace, `GET` with busybox's Host, User-Agent (`Wget`) and
 * `Connection: close` headers, the body to `-O FILE` (`-` for stdout; by default the URL's last path
 * element, or index.html).
 *
 * Unless `-q`, stderr gets `Connecting to HOST (IP:PORT)`, `saving to 'FILE'` (or `writing to stdout`),
 * the progress meter's final line (bb_progress_update's, for a stderr that is not a terminal) and `'FILE' saved` (or `written to stdout`). Errors, each exit 1:
 * `wget: bad address 'HOST'` (the name does not resolve), `wget: can't connect to remote host (IP):
 * Connection refused` (or `Connection timed out`), `wget: download timed out` (`-T`, 900 s by default,
 * over the connect and the response), `wget: server returned error: HTTP/1.1 404 Not Found`, `wget:
 * not an http or ftp url: URL`, `wget: can't open 'FILE': …`; no URL prints the usage.
 *
 * Left out: https and ftp (refused with the message busybox has for a scheme it does not know), redirects, -c, -S, -P, -o, -Y, --post-data/--post-file, proxies, the live
 * progress bar (only its last line is drawn), chunked bodies beyond what the HTTP reader assembles.
 */
import { KernelError } from '../../../kernel/errno.ts';
import type { Headers } from '../../../kernel/net/http1.ts';
import { exchange } from '../../httpExchange.ts';
import { hostNetwork, type Connection } from '../../../cluster/loopback.ts';
import type { CommandContext } from '../../../shell/command.ts';
import { getaddrinfo, resolverFor } from '../../resolver/resolver.ts';
import { BUSYBOX_BANNER } from './nslookup.ts';

const USAGE = `${BUSYBOX_BANNER}

Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]
	[--post-data STR | --post-file FILE] [-Y on/off]
	[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...

Retrieve files via HTTP or FTP

	--spider	Only check URL existence: $? is 0 if exists
	--header STR	Add STR (of form 'header: value') to headers
	--post-data STR	Send STR using POST method
	--post-file FILE	Send FILE using POST method
	--no-check-certificate	Don't validate the server's certificate
	-c		Continue retrieval of aborted transfer
	-q		Quiet
	-P DIR		Save to DIR (default .)
	-S    		Show server response
	-T SEC		Network read timeout is SEC seconds
	-O FILE		Save to FILE ('-' for stdout)
	-o LOGFILE	Log messages to FILE
	-U STR		Use STR for User-Agent header
	-Y on/off	Use proxy
`;

/** The default network timeout (G.timeout_seconds). */
const DEFAULT_TIMEOUT_S = 900;

interface Options {
  quiet: boolean;
  spider: boolean;
  output?: string;
  timeoutS: number;
  userAgent: string;
  headers: Headers;
  urls: string[];
}

class Failure extends Error {}

function parseArgs(args: readonly string[]): Options | 'usage' {
  const o: Options = { quiet: false, spider: false, timeoutS: DEFAULT_TIMEOUT_S, userAgent: 'Wget', headers: [], urls: [] };
  const withValue = new Set(['O', 'o', 'P', 'U', 'T', 'Y']);
  const longValue = new Set(['--output-document', '--output-file', '--directory-prefix', '--user-agent', '--timeout', '--proxy', '--header', '--post-data', '--post-file']);
  const take = (name: string, value: string) => {
    if (name === 'O' || name === '--output-document') o.output = value;
    else if (name === 'U' || name === '--user-agent') o.userAgent = value;
    else if (name === 'T' || name === '--timeout') {
      if (!/^\d+$/.test(value)) throw new Failure(`invalid number '${value}'`);
      o.timeoutS = Number(value);
    } else if (name === '--header') {
      const colon = value.indexOf(':');
      if (colon > 0) o.headers.push([value.slice(0, colon).trim(), value.slice(colon + 1).trim()]);
    }
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      o.urls.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg : arg.slice(0, eq);
      if (longValue.has(name)) {
        const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
        if (value === undefined) throw new Failure(`option '${name}' requires an argument`);
        take(name, value);
      } else if (name === '--quiet') o.quiet = true;
      else if (name === '--spider') o.spider = true;
      else if (!['--continue', '--server-response', '--no-check-certificate', '--passive-ftp'].includes(name)) throw new Failure(`unrecognized option '${arg}'`);
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j]!;
        if (withValue.has(c)) {
          const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
          if (value === undefined) throw new Failure(`option requires an argument -- '${c}'`);
          take(c, value);
          break;
        }
        if (c === 'q') o.quiet = true;
        else if (c !== 'c' && c !== 'S') throw new Failure(`invalid option -- '${c}'`);
      }
    } else o.urls.push(arg);
  }
  return o.urls.length === 0 ? 'usage' : o;
}

/** busybox's parse_url: scheme (http when none), host, port, path. */
function parseUrl(url: string): { host: string; port: number; path: string } {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/.exec(url);
  const scheme = m ? m[1]!.toLowerCase() : 'http';
  if (scheme !== 'http') throw new Failure(`not an http or ftp url: ${url}`);
  const rest = m ? m[2]! : url;
  const slash = rest.search(/[/?#]/);
  const hostPort = (slash < 0 ? rest : rest.slice(0, slash)).replace(/^.*@/, '');
  const path = slash < 0 ? '/' : rest[slash] === '/' ? rest.slice(slash) : `/${rest.slice(slash)}`;
  const colon = hostPort.lastIndexOf(':');
  const host = colon < 0 ? hostPort : hostPort.slice(0, colon);
  const port = colon < 0 ? 80 : Number(hostPort.slice(colon + 1));
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Failure(`bad port spec '${hostPort.slice(colon + 1)}'`);
  return { host, port, path: path.replace(/#.*/, '') };
}

/** A promise that rejects with `download timed out` after `ms` unless `work` settles first. */
function withTimeout<T>(ctx: CommandContext, ms: number, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = ctx.clock.after(ms, () => reject(new Failure('download timed out')), 'wget: timeout');
    work.then(
      (v) => {
        timer.cancel();
        resolve(v);
      },
      (e: unknown) => {
        timer.cancel();
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * The progress meter's line at the end of a transfer, as bb_progress_update prints it to a stderr that
 * is not a terminal (80 columns: a 31-character bar): the name, the ratio and bar when the length was
 * known, the size (scaled to k, M… past 99999), the ETA.
 */
function progressLine(name: string, size: number, lengthKnown: boolean): string {
  let scaled = size;
  let scale = 0;
  while (scaled >= 100000) {
    scaled = Math.floor(scaled / 1024);
    scale++;
  }
  const ratio = lengthKnown ? ` 100% |${'*'.repeat(31)}|` : '';
  const eta = lengthKnown && size > 0 ? '  0:00:00 ETA' : ' --:--:-- ETA';
  return `${name.slice(0, 20).padEnd(20)}${ratio}${String(scaled).padStart(6)}${' kMGTPEZY'[scale]}${eta}\n`;
}

/** The applet. */
export async function wget(ctx: CommandContext): Promise<number> {
  const fail = (message: string) => {
    ctx.stderr(`wget: ${message}\n`);
    return 1;
  };
  let o: Options | 'usage';
  try {
    o = parseArgs(ctx.argv.slice(1));
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    ctx.stderr(`wget: ${error.message}\n${USAGE}`);
    return 1;
  }
  if (o === 'usage') {
    ctx.stderr(USAGE);
    return 1;
  }
  if (!ctx.process) return fail('socket: Address family not supported by protocol');
  const { host, process } = ctx.process;
  const options = o;
  let status = 0;
  for (const url of options.urls) {
    try {
      await fetchOne(ctx, host, process, url, options);
    } catch (error) {
      if (!(error instanceof Failure)) throw error;
      status = fail(error.message);
      break;
    }
  }
  return status;
}

async function fetchOne(ctx: CommandContext, host: NonNullable<CommandContext['process']>['host'], process: NonNullable<CommandContext['process']>['process'], url: string, o: Options): Promise<void> {
  const target = parseUrl(url);
  const note = (text: string) => {
    if (!o.quiet) ctx.stderr(text);
  };
  const deadline = o.timeoutS * 1000;
  let address = /^\d{1,3}(\.\d{1,3}){3}$/.test(target.host) ? target.host : undefined;
  if (!address) {
    const found = await getaddrinfo(target.host, resolverFor(host, process), { family: 'unspec' });
    address = found.kind === 'found' ? found.addresses.find((a) => !a.includes(':')) : undefined;
    if (!address) throw new Failure(`bad address '${target.host}'`);
  }
  note(`Connecting to ${target.host} (${address}:${target.port})\n`);
  let conn: Connection;
  try {
    conn = await withTimeout(ctx, deadline, hostNetwork(host, process).connect(address, target.port));
  } catch (error) {
    if (error instanceof KernelError) throw new Failure(`can't connect to remote host (${address}): ${error.describe}`);
    throw error;
  }
  const headers: Headers = [['Host', target.port === 80 ? target.host : `${target.host}:${target.port}`], ['User-Agent', o.userAgent]];
  for (const [name, value] of o.headers) {
    const i = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (i >= 0) headers[i] = [name, value];
    else headers.push([name, value]);
  }
  headers.push(['Connection', 'close']);
  const method = o.spider ? 'HEAD' : 'GET';
  const request = `${method} ${target.path} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  let response: Awaited<ReturnType<typeof exchange>>;
  try {
    response = await withTimeout(ctx, deadline, exchange(conn, request));
  } finally {
    conn.close();
  }
  if (!response) throw new Failure('error getting response: Connection reset by peer');
  const [version = '', code = '', reason = ''] = response.start;
  if (!/^2\d\d$/.test(code)) throw new Failure(`server returned error: ${version} ${code}${reason ? ` ${reason}` : ''}`);
  if (o.spider) return;
  const name = o.output ?? (target.path.split('?')[0]!.split('/').pop() || 'index.html');
  const toStdout = name === '-';
  const size = new TextEncoder().encode(response.body).length;
  const lengthKnown = response.headers.some(([n]) => n.toLowerCase() === 'content-length');
  if (toStdout) {
    note('writing to stdout\n');
    ctx.stdout(response.body);
    note(`${progressLine('-', size, lengthKnown)}written to stdout\n`);
    return;
  }
  const path = ctx.fs.resolve(name, ctx.cwd);
  try {
    ctx.fs.writeFile(path, response.body);
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
    throw new Failure(`can't open '${name}': ${error.describe}`);
  }
  note(`saving to '${name}'\n${progressLine(name, size, lengthKnown)}'${name}' saved\n`);
}
