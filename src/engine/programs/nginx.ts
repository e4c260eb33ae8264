/**
 * nginx — nginx 1.27.3 as the official image runs it (`nginx -g 'daemon off;'`): the master reads
 * /etc/nginx/nginx.conf through its own file system (`-c` another), logs its start notices to the error
 * log (`error_log`, in the image a link to /dev/stderr), sets its title to `nginx: master process …` and
 * forks `worker_processes` workers (`auto`: the CPUs its cpuset allows) titled `nginx: worker process`,
 * running as the `user` of the configuration when the master is root. It writes its pid file. Signals, as
 * ngx_signal_handler and the master cycle handle them: SIGQUIT shuts down gracefully, SIGTERM and SIGINT
 * exit at once, SIGHUP reloads (new workers, the old ones quit gracefully); workers are told through
 * their channel, so they log no signal line; a worker that dies otherwise is respawned. `-v`, `-V`, `-t`,
 * `-s quit|stop|reload` and daemonizing without `daemon off;` work as the real binary does.
 *
 * HTTP (nginxHttp.ts): the master binds the servers' `listen` addresses in its network namespace (a
 * port taken is `bind() to 0.0.0.0:80 failed (98: Address already in use)` and exit 1) and answers GETs
 * from the document root, each request logged to the access log (the container's stdout in the image).
 * The sockets are the master's: they close when it exits.
 *
 * Proxying (`location … { proxy_pass http://HOST[:PORT][URI]; }`, nginxHttp.ts): at start-up and on
 * reload the master resolves each proxy_pass host name through the C library's resolver (/etc/hosts,
 * then DNS), as nginx does when it reads its configuration; a name that does not resolve is `[emerg]
 * host not found in upstream "HOST"` (exit 1 at start-up, the old configuration kept on reload). A
 * request for a proxied location is sent to that address over a new connection; the upstream's answer
 * goes back to the client. A refused connection is logged as `[error] … connect() failed (111:
 * Connection refused) while connecting to upstream, client: …, server: …, request: "…", upstream:
 * "http://IP:PORT/URI", host: "…"` and answered with 502 Bad Gateway; an upstream that closes without
 * an answer gives 502 too, and no answer within 60 s (proxy_connect_timeout / proxy_read_timeout) 504.
 *
 * Left out: the rest of the configuration language (only the directives above are read; nothing is
 * validated beyond braces and semicolons), the file and line in the upstream [emerg], several addresses
 * per upstream name (the first IPv4 one is used), `-s reopen`, and binary upgrades (SIGUSR2).
 */
import { KernelError } from '../kernel/errno.ts';
import type { Host } from '../kernel/host.ts';
import type { ListenSocket } from '../kernel/net/socket.ts';
import { tcpOf } from '../kernel/net/tcp.ts';
import { userCred } from '../kernel/process/cred.ts';
import type { Process } from '../kernel/process/process.ts';
import type { Program, ProgramContext } from '../kernel/process/program.ts';
import type { Sink } from '../kernel/process/stdio.ts';
import { SIGCHLD, SIGHUP, SIGINT, SIGQUIT, SIGTERM, parseSignal, signalName } from '../kernel/process/signal.ts';
import { WCOREDUMP, WEXITSTATUS, WIFEXITED, WNOHANG, WTERMSIG } from '../kernel/process/waitStatus.ts';
import { AddressSpace } from './addressSpace.ts';
import { serveHttp, type HttpRequest, type HttpResponse } from '../kernel/net/http1.ts';
import { exchange } from './httpExchange.ts';
import { hostNetwork, type Connection } from '../cluster/loopback.ts';
import { accessLogLine, findLocation, gatewayError, proxiedResponse, readHttpConf, serveStatic, upstreamRequest, upstreamUri, type NginxHttpConf, type NginxLocation, type ProxyTarget } from './nginxHttp.ts';
import { getaddrinfo, resolverFor } from './resolver/resolver.ts';
import { reapAll } from './reap.ts';

/** The version the image ships. */
export const NGINX_VERSION = '1.27.3';
const DEFAULT_CONF = '/etc/nginx/nginx.conf';
const DEFAULT_PID = '/var/run/nginx.pid';
const DEFAULT_ERROR_LOG = '/var/log/nginx/error.log';
const RLIMIT_NOFILE = '1048576:1048576';
/** proxy_connect_timeout and proxy_read_timeout's default, 60 s. */
const PROXY_TIMEOUT_MS = 60_000;

/** What nginx.conf says that the process model uses. */
interface NginxConf {
  workerProcesses: number | 'auto';
  user: { name: string; line: number } | undefined;
  errorLog: string;
  pid: string;
  daemon: boolean;
}

/** The directives of the main context, with their line numbers (blocks skipped). */
function mainDirectives(text: string): Array<{ name: string; args: string[]; line: number }> {
  const out: Array<{ name: string; args: string[]; line: number }> = [];
  let depth = 0;
  let words: string[] = [];
  let wordLine = 1;
  let line = 1;
  const tokens = text.replace(/#[^\n]*/g, '').split(/("[^"]*"|'[^']*'|[{};]|\s+)/);
  for (const token of tokens) {
    if (token === undefined || token === '') continue;
    if (/^\s+$/.test(token)) {
      line += token.split('\n').length - 1;
      continue;
    }
    if (words.length === 0) wordLine = line;
    if (token === '{') {
      depth++;
      words = [];
    } else if (token === '}') {
      depth--;
      words = [];
    } else if (token === ';') {
      if (depth === 0 && words.length > 0) out.push({ name: words[0]!, args: words.slice(1), line: wordLine });
      words = [];
    } else words.push(token.replace(/^(["'])(.*)\1$/, '$2'));
  }
  return out;
}

/** `-g` directives come first, then the file's; the first of each wins as nginx reports duplicates. */
function readConf(text: string, globals: string): NginxConf {
  const conf: NginxConf = { workerProcesses: 1, user: undefined, errorLog: DEFAULT_ERROR_LOG, pid: DEFAULT_PID, daemon: true };
  for (const { name, args, line } of [...mainDirectives(text), ...mainDirectives(globals)]) {
    if (name === 'worker_processes') conf.workerProcesses = args[0] === 'auto' ? 'auto' : Number(args[0] ?? 1);
    else if (name === 'user') conf.user = { name: args[0] ?? 'nobody', line };
    else if (name === 'error_log') conf.errorLog = args[0] ?? DEFAULT_ERROR_LOG;
    else if (name === 'pid') conf.pid = args[0] ?? DEFAULT_PID;
    else if (name === 'daemon') conf.daemon = args[0] !== 'off';
  }
  return conf;
}

/** `YYYY/MM/DD HH:MM:SS`, as ngx_cached_err_log_time. */
function logTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '/')} ${iso.slice(11, 19)}`;
}

/** A worker: waits for its master's channel commands. */
class Worker implements Program {
  sys!: ProgramContext;
  exiting = false;

  constructor(
    private readonly master: NginxMaster,
    private readonly host: Host,
  ) {}

  start(sys: ProgramContext): void {
    this.sys = sys;
    const { process } = sys;
    process.argv = ['nginx: worker process'];
    sys.sigaction(SIGCHLD, 'default');
    sys.sigaction(SIGHUP, 'ignore');
    const user = this.master.workerUser;
    if (user) this.host.table.commitCreds(process, userCred(process.cred.userNs, user.uid, user.gid));
    new AddressSpace(this.host, process, { vszKb: 11_872, rssKb: 2_868 });
    sys.sigaction(SIGQUIT, (signal, info) => this.onSignal(signal, info.pid, true));
    sys.sigaction(SIGTERM, (signal, info) => this.onSignal(signal, info.pid, false));
    sys.sigaction(SIGINT, (signal, info) => this.onSignal(signal, info.pid, false));
    sys.setRunState('S');
  }

  /** NGX_CMD_QUIT (graceful) or NGX_CMD_TERMINATE through the channel. */
  command(graceful: boolean): void {
    if (this.exiting) return;
    this.exiting = true;
    if (graceful) this.log('gracefully shutting down');
    this.log('exiting');
    this.log('exit');
    this.sys.exit(0);
  }

  private onSignal(signal: number, from: number, graceful: boolean): void {
    this.log(`signal ${signal} (${signalName(signal)}) received${from ? ` from ${from}` : ''}, ${graceful ? 'shutting down' : 'exiting'}`);
    this.command(graceful);
  }

  private log(message: string): void {
    const pid = this.sys.process.pidIn(this.sys.process.pidNs);
    this.master.errorLog.write(`${logTime(this.sys.now())} [notice] ${pid}#${pid}: ${message}\n`);
  }
}

/** The master process. */
class NginxMaster implements Program {
  errorLog!: Sink;
  workerUser: { uid: number; gid: number } | undefined;
  private sys!: ProgramContext;
  private conf!: NginxConf;
  private readonly workers = new Map<number, Worker>();
  private quitting = false;
  private http!: NginxHttpConf;
  private accessLog: Sink | undefined;
  private readonly listening: ListenSocket[] = [];
  /** Each proxy_pass host name's address, resolved when the configuration was read. */
  private upstreams = new Map<string, string>();
  /** Connections accepted, as the `*N` of error log lines counts them. */
  private connections = 0;

  constructor(
    private readonly host: Host,
    private readonly argv: readonly string[],
    private readonly confPath: string,
    private readonly globals: string,
  ) {}

  start(sys: ProgramContext): void {
    this.sys = sys;
    const { process } = sys;
    const conf = loadConf(this.host, process, this.confPath, this.globals);
    if (typeof conf === 'string') {
      this.emerg(conf);
      return sys.exit(1);
    }
    this.conf = conf;
    this.errorLog = openLog(this.host, process, conf.errorLog);
    new AddressSpace(this.host, process, { vszKb: 11_404, rssKb: 7_468 });
    process.argv = [`nginx: master process ${this.argv.join(' ')}`];
    this.resolveUser();
    try {
      this.host.vfsFor(process).writeFile(conf.pid, `${process.pidIn(process.pidNs)}\n`);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      this.emerg(`open() "${conf.pid}" failed (${error.errno}: ${error.describe})`);
      return sys.exit(1);
    }
    sys.sigaction(SIGQUIT, (signal, info) => this.shutdown(signal, info.pid, true));
    sys.sigaction(SIGTERM, (signal, info) => this.shutdown(signal, info.pid, false));
    sys.sigaction(SIGINT, (signal, info) => this.shutdown(signal, info.pid, false));
    sys.sigaction(SIGHUP, (signal, info) => this.reload(signal, info.pid));
    sys.sigaction(SIGCHLD, (signal, info) => {
      this.notice(`signal ${signal} (SIGCHLD) received${info.pid ? ` from ${info.pid}` : ''}`);
      this.reap();
    });
    this.notice('using the "epoll" event method');
    this.notice(`nginx/${NGINX_VERSION}`);
    this.notice(`built by ${gccLine(this.host, process)}`);
    const uts = this.host.uname(process);
    this.notice(`OS: ${uts.sysname} ${uts.release}`);
    this.notice(`getrlimit(RLIMIT_NOFILE): ${RLIMIT_NOFILE}`);
    const http = readHttpConf(this.host.vfsFor(process), this.confPath);
    const begin = (upstreams: Map<string, string> | string) => {
      if (typeof upstreams === 'string') {
        this.emerg(upstreams);
        return sys.exit(1);
      }
      this.upstreams = upstreams;
      this.useHttp(http);
      if (!this.bind()) return sys.exit(1);
      this.startWorkers();
    };
    const names = upstreamNames(http);
    if (names.length === 0) begin(new Map());
    else void this.resolveUpstreams(names).then((upstreams) => !this.quitting && !process.exiting && begin(upstreams));
    sys.setRunState('S');
  }

  /** Each upstream name's first IPv4 address, or the [emerg] for one that does not resolve. */
  private async resolveUpstreams(names: string[]): Promise<Map<string, string> | string> {
    const found = new Map<string, string>();
    for (const name of names) {
      const lookup = await getaddrinfo(name, resolverFor(this.host, this.sys.process), { family: 'inet' });
      const address = lookup.kind === 'found' ? lookup.addresses.find((a) => !a.includes(':')) : undefined;
      if (!address) return `host not found in upstream "${name}"`;
      found.set(name, address);
    }
    return found;
  }

  /** ngx_open_listening_sockets: every `listen` address, or an [emerg] when one is taken. */
  private bind(): boolean {
    const { process } = this.sys;
    const tcp = tcpOf(this.host);
    for (const l of this.http.listen) {
      try {
        this.listening.push(tcp.listen(process, l.address, l.port, (socket) => {
          const connection = ++this.connections;
          serveHttp(socket, (request) => {
            if (this.quitting) return undefined;
            const path = decodeURIComponent(request.target.split('?')[0] ?? '/');
            const location = findLocation(this.http, path);
            const log = (response: HttpResponse) => {
              this.accessLog?.write(accessLogLine(socket.remote.address, request, response, this.sys.now()));
              return response;
            };
            if (location?.proxy) return this.proxy(request, location, location.proxy, socket.remote.address, connection).then(log);
            return log(serveStatic(this.host.vfsFor(process), this.http, request, this.sys.now(), NGINX_VERSION));
          });
        }));
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        this.errorLog.write(`${logTime(this.sys.now())} [emerg] ${this.pid}#${this.pid}: bind() to ${l.address}:${l.port} failed (${error.errno}: ${error.describe})\n`);
        for (const s of this.listening.splice(0)) s.close();
        return false;
      }
    }
    return true;
  }

  /** Serve with `http` and its access log (on reload too; the listening sockets stay). */
  private useHttp(http: NginxHttpConf): void {
    this.http = http;
    this.accessLog = http.accessLog ? openLog(this.host, this.sys.process, http.accessLog) : undefined;
  }

  /** Pass `request` to the location's upstream and make its answer the client's (502/504 when it fails). */
  private async proxy(request: HttpRequest, location: NginxLocation, target: ProxyTarget, client: string, connection: number): Promise<HttpResponse> {
    const address = this.upstreams.get(target.host) ?? target.host;
    const uri = upstreamUri(location, target, request.target);
    const fail = (status: 502 | 504, what: string) => {
      const host = request.headers.find(([n]) => n.toLowerCase() === 'host')?.[1];
      this.errorLog.write(
        `${logTime(this.sys.now())} [error] ${this.pid}#${this.pid}: *${connection} ${what}, client: ${client}, server: ${this.http.serverName}, ` +
          `request: "${request.method} ${request.target} ${request.version}", upstream: "http://${address}:${target.port}${uri}"${host ? `, host: "${host}"` : ''}\n`,
      );
      return gatewayError(request, status, this.sys.now(), NGINX_VERSION);
    };
    const outcome = await withTimeout(this.host, PROXY_TIMEOUT_MS, (async () => {
      let conn: Connection;
      try {
        conn = await hostNetwork(this.host, this.sys.process).connect(address, target.port);
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        return { kind: 'failed' as const, message: `connect() failed (${error.errno}: ${error.describe}) while connecting to upstream` };
      }
      try {
        const answer = await exchange(conn, upstreamRequest(request, target, uri));
        return answer ? { kind: 'answered' as const, answer } : { kind: 'failed' as const, message: 'upstream prematurely closed connection while reading response header from upstream' };
      } finally {
        conn.close();
      }
    })());
    if (!outcome) return fail(504, 'upstream timed out (110: Connection timed out) while connecting to upstream');
    if (outcome.kind === 'failed') return fail(502, outcome.message);
    return proxiedResponse(request, outcome.answer, this.sys.now(), NGINX_VERSION);
  }

  private startWorkers(): void {
    this.notice('start worker processes');
    const count = this.conf.workerProcesses === 'auto' ? this.sys.process.cgroup.effectiveCpus.length : this.conf.workerProcesses;
    for (let i = 0; i < count; i++) this.spawnWorker();
  }

  private spawnWorker(): void {
    const worker = new Worker(this, this.host);
    const child = this.sys.clone({ program: worker });
    const pid = child.pidIn(this.sys.process.pidNs);
    this.workers.set(pid, worker);
    this.notice(`start worker process ${pid}`);
  }

  private shutdown(signal: number, from: number, graceful: boolean): void {
    this.notice(`signal ${signal} (${signalName(signal)}) received${from ? ` from ${from}` : ''}, ${graceful ? 'shutting down' : 'exiting'}`);
    if (this.quitting) return;
    this.quitting = true;
    for (const s of this.listening.splice(0)) s.close();
    for (const worker of [...this.workers.values()]) worker.command(graceful);
    this.exitIfDone();
  }

  private reload(signal: number, from: number): void {
    this.notice(`signal ${signal} (SIGHUP) received${from ? ` from ${from}` : ''}, reconfiguring`);
    if (this.quitting) return;
    this.notice('reconfiguring');
    const conf = loadConf(this.host, this.sys.process, this.confPath, this.globals);
    if (typeof conf === 'string') {
      this.errorLog.write(`${logTime(this.sys.now())} [emerg] ${this.pid}#${this.pid}: ${conf}\n`);
      return;
    }
    this.conf = conf;
    this.resolveUser();
    const http = readHttpConf(this.host.vfsFor(this.sys.process), this.confPath);
    void this.resolveUpstreams(upstreamNames(http)).then((upstreams) => {
      if (this.quitting || this.sys.process.exiting) return;
      if (typeof upstreams === 'string') {
        this.errorLog.write(`${logTime(this.sys.now())} [emerg] ${this.pid}#${this.pid}: ${upstreams}\n`);
        return;
      }
      this.upstreams = upstreams;
      this.useHttp(http);
      const old = [...this.workers.values()];
      this.notice('using the "epoll" event method');
      this.startWorkers();
      for (const worker of old) worker.command(true);
    });
  }

  private reap(): void {
    reapAll(this.sys, WNOHANG, ({ pid, status }) => {
      const worker = this.workers.get(pid);
      this.workers.delete(pid);
      if (WIFEXITED(status)) this.notice(`worker process ${pid} exited with code ${WEXITSTATUS(status)}`);
      else this.alert(`worker process ${pid} exited on signal ${WTERMSIG(status)}${WCOREDUMP(status) ? ' (core dumped)' : ''}`);
      if (worker && !worker.exiting && !this.quitting) this.spawnWorker();
    });
    this.exitIfDone();
  }

  private exitIfDone(): void {
    if (!this.quitting || this.workers.size > 0 || this.sys.process.exiting) return;
    this.notice('exit');
    try {
      this.host.vfsFor(this.sys.process).unlink(this.conf.pid);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
    }
    this.sys.exit(0);
  }

  /** The `user` directive: looked up in /etc/passwd; ignored with a warning unless the master is root. */
  private resolveUser(): void {
    const { process } = this.sys;
    const user = this.conf.user;
    this.workerUser = undefined;
    if (process.cred.euid !== 0) {
      if (user) this.warn(`the "user" directive makes sense only if the master process runs with super-user privileges, ignored in ${this.confPath}:${user.line}`);
      return;
    }
    const name = user?.name ?? 'nobody';
    this.workerUser = lookupUser(this.host, process, name);
  }

  private get pid(): number {
    return this.sys.process.pidIn(this.sys.process.pidNs);
  }

  private notice(message: string): void {
    this.errorLog.write(`${logTime(this.sys.now())} [notice] ${this.pid}#${this.pid}: ${message}\n`);
  }

  private warn(message: string): void {
    this.errorLog.write(`${logTime(this.sys.now())} [warn] ${this.pid}#${this.pid}: ${message}\n`);
  }

  private alert(message: string): void {
    this.errorLog.write(`${logTime(this.sys.now())} [alert] ${this.pid}#${this.pid}: ${message}\n`);
  }

  /** An [emerg] before the error log is open: to the default log (stderr in the image) and to stderr. */
  private emerg(message: string): void {
    const { stderr } = this.sys.process.stdio;
    stderr.write(`${logTime(this.sys.now())} [emerg] ${this.pid}#${this.pid}: ${message}\n`);
    stderr.write(`nginx: [emerg] ${message}\n`);
  }
}

/** The host names proxy_pass directives name (not IP addresses, which stand for themselves), each once. */
function upstreamNames(http: NginxHttpConf): string[] {
  return [...new Set(http.locations.flatMap((l) => (l.proxy && !/^\d{1,3}(\.\d{1,3}){3}$/.test(l.proxy.host) ? [l.proxy.host] : [])))];
}

/** `work`'s result, or undefined when `ms` of clock time pass first. */
function withTimeout<T>(host: Host, ms: number, work: Promise<T>): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    const timer = host.clock.after(ms, () => resolve(undefined), 'nginx: proxy timeout');
    work.then(
      (value) => {
        timer.cancel();
        resolve(value);
      },
      (error: unknown) => {
        timer.cancel();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** The configuration, or the [emerg] message when it cannot be read. */
function loadConf(host: Host, process: Process, path: string, globals: string): NginxConf | string {
  try {
    return readConf(host.vfsFor(process).readFile(path), globals);
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
    return `open() "${path}" failed (${error.errno}: ${error.describe})`;
  }
}

/** Where the error log's lines go: the process's stdout or stderr when the path leads there, else the file. */
function openLog(host: Host, process: Process, path: string): Sink {
  const vfs = host.vfsFor(process);
  let target = path;
  for (let i = 0; i < 8; i++) {
    if (target === '/dev/stderr' || target === '/proc/self/fd/2' || target === 'stderr') return process.stdio.stderr;
    if (target === '/dev/stdout' || target === '/proc/self/fd/1') return process.stdio.stdout;
    try {
      const link = vfs.readlink(target);
      target = link.startsWith('/') ? link : `${target.slice(0, target.lastIndexOf('/'))}/${link}`;
    } catch {
      break;
    }
  }
  return {
    write: (text) => {
      try {
        vfs.writeFile(path, text, { append: true });
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
      }
    },
  };
}

/** getpwnam(3) in the process's /etc/passwd. */
function lookupUser(host: Host, process: Process, name: string): { uid: number; gid: number } | undefined {
  try {
    for (const line of host.vfsFor(process).readFile('/etc/passwd').split('\n')) {
      const [user, , uid, gid] = line.split(':');
      if (user === name && uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) };
    }
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
  }
  return undefined;
}

/** The compiler line of the image's build: Debian's gcc, or Alpine's. */
function gccLine(host: Host, process: Process): string {
  try {
    host.vfsFor(process).stat('/etc/alpine-release');
    return 'gcc 13.2.1 20240309 (Alpine 13.2.1_git20240309) ';
  } catch {
    return 'gcc 12.2.0 (Debian 12.2.0-14) ';
  }
}

/** The nginx binary: parses its command line, then runs (or daemonizes) the master. */
export class Nginx implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    const { process } = sys;
    const { stderr } = process.stdio;
    const argv = process.argv;
    let confPath = DEFAULT_CONF;
    let globals = '';
    let test = false;
    let signal: string | undefined;
    for (let i = 1; i < argv.length; i++) {
      const arg = argv[i]!;
      const value = () => argv[++i];
      if (arg === '-v' || arg === '-V') {
        stderr.write(`nginx version: nginx/${NGINX_VERSION}\n`);
        if (arg === '-V') {
          stderr.write(`built by ${gccLine(this.host, process)}\nbuilt with OpenSSL 3.0.13 30 Jan 2024 (running with OpenSSL 3.0.15 3 Sep 2024)\nTLS SNI support enabled\n`);
          stderr.write('configure arguments: --prefix=/etc/nginx --sbin-path=/usr/sbin/nginx --modules-path=/usr/lib/nginx/modules --conf-path=/etc/nginx/nginx.conf --error-log-path=/var/log/nginx/error.log --http-log-path=/var/log/nginx/access.log --pid-path=/var/run/nginx.pid --lock-path=/var/run/nginx.lock --user=nginx --group=nginx --with-compat --with-file-aio --with-threads --with-http_ssl_module --with-http_v2_module --with-stream\n');
        }
        return sys.exit(0);
      }
      if (arg === '-t' || arg === '-T') test = true;
      else if (arg === '-c') confPath = value() ?? '';
      else if (arg === '-g') globals = value() ?? '';
      else if (arg === '-s') signal = value();
      else if (arg === '-q' || arg === '-p' || arg === '-e') {
        if (arg !== '-q') value();
      } else {
        stderr.write(`nginx: invalid option: "${arg.replace(/^-/, '')}"\n`);
        return sys.exit(1);
      }
    }
    const conf = loadConf(this.host, process, confPath, globals);
    if (typeof conf === 'string') {
      stderr.write(`nginx: [emerg] ${conf}\n`);
      if (test) stderr.write(`nginx: configuration file ${confPath} test failed\n`);
      return sys.exit(1);
    }
    if (test) {
      stderr.write(`nginx: the configuration file ${confPath} syntax is ok\nnginx: configuration file ${confPath} test is successful\n`);
      return sys.exit(0);
    }
    if (signal !== undefined) return sys.exit(this.signalMaster(sys, conf, signal));
    const master = new NginxMaster(this.host, argv, confPath, globals);
    if (!conf.daemon) return master.start(sys);
    const child = sys.clone({ program: master });
    this.host.table.setsid(child);
    sys.exit(0);
  }

  /** `nginx -s`: the signal to the pid in the pid file; the exit status. */
  private signalMaster(sys: ProgramContext, conf: NginxConf, name: string): number {
    const { stderr } = sys.process.stdio;
    const signals: Record<string, string> = { stop: 'TERM', quit: 'QUIT', reload: 'HUP', reopen: 'USR1' };
    const sig = signals[name];
    if (sig === undefined) {
      stderr.write(`nginx: invalid option: "-s ${name}"\n`);
      return 1;
    }
    let text: string;
    try {
      text = this.host.vfsFor(sys.process).readFile(conf.pid);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      stderr.write(`nginx: [error] open() "${conf.pid}" failed (${error.errno}: ${error.describe})\n`);
      return 1;
    }
    const pid = Number(text.trim());
    try {
      sys.kill(pid, parseSignal(sig)!);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      stderr.write(`nginx: [alert] kill(${pid}, ${parseSignal(sig)}) failed (${error.errno}: ${error.describe})\n`);
      return 1;
    }
    return 0;
  }
}
