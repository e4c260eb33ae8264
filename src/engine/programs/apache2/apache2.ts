/**
 * apache2 — the Apache HTTP Server 2.4.10 of Debian jessie with the prefork MPM and mod_php 5.6, as the
 * php:5-apache image runs it (`apache2 -DFOREGROUND` from apache2-foreground). It reads its configuration
 * (apache2Conf.ts) twice at startup, as httpd's pre-config and config passes do, so a server without a
 * ServerName prints AH00558 twice, naming the address its host name resolves to in /etc/hosts (a pod's
 * IP); it writes its PidFile (AH00098 when one is left over), binds every Listen address (AH00072 and exit
 * 1 when one is taken), logs AH00163 `Apache/2.4.10 (Debian) PHP/5.6.18 configured -- resuming normal
 * operations` and AH00094 with its command line, and forks StartServers children that switch to User
 * (www-data). Without `-D FOREGROUND` it daemonizes. `-v` and `-t` answer as apache2 does.
 *
 * Prefork: the parent accepts on the listening sockets and hands each connection to an idle child (one
 * connection per child at a time; connections wait for a child when all are busy); once a second it
 * keeps MinSpareServers to MaxSpareServers children idle, spawning 1, 2, 4… up to 32 a second and never
 * more than MaxRequestWorkers, and a child that served MaxConnectionsPerChild connections exits. A child
 * serves its connection's requests in turn, holding it open between them for KeepAliveTimeout (up to
 * MaxKeepAliveRequests).
 *
 * A request maps onto DocumentRoot (a directory to its first DirectoryIndex file, else 403); a `.php`
 * file runs in PHP 5.6 (zend.ts) when a FilesMatch sends it to application/x-httpd-php, the child burning
 * the script's CPU time through the host's CFS scheduler — so a cgroup's cpu.max throttles the request,
 * which waits — before its response goes out with `X-Powered-By: PHP/5.6.18` and text/html;
 * charset=UTF-8; other files are served as they are, with Last-Modified, ETag and Accept-Ranges; a
 * missing one is Apache's 404 page. mod_deflate, when loaded, adds `Vary: Accept-Encoding` to text/html.
 * Each request is logged through every CustomLog in its LogFormat (`%h %l %u %t "%r" %>s %O "%{Referer}i"
 * "%{User-Agent}i"`, %O counting the bytes sent, headers included); errors go to the ErrorLog.
 *
 * Signals, as prefork's parent handles them: SIGTERM kills the children, reaps them, removes the pid file,
 * logs AH00169 `caught SIGTERM, shutting down` and exits 0; SIGWINCH (graceful-stop) closes the listeners,
 * logs AH00170 `caught SIGWINCH, shutting down gracefully`, lets busy children finish their request,
 * then exits 0. A child dying on a signal other than TERM, KILL, HUP or USR1 is logged as AH00052.
 *
 * Left out: restarts (SIGHUP and SIGUSR1 are ignored), the event and worker MPMs, gzip compression,
 * conditional and range requests, request bodies to PHP, <Directory> access control, `-k`, `-S`, `-M`.
 */
import { KernelError } from '../../kernel/errno.ts';
import type { Host } from '../../kernel/host.ts';
import { headerValue, MessageReader, utf8Length, HttpParseError, type Headers, type HttpRequest } from '../../kernel/net/http1.ts';
import type { ListenSocket, TcpSocket } from '../../kernel/net/socket.ts';
import { tcpOf } from '../../kernel/net/tcp.ts';
import { isDir } from '../../kernel/fs/inode.ts';
import { userCred } from '../../kernel/process/cred.ts';
import type { Process } from '../../kernel/process/process.ts';
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import type { Sink } from '../../kernel/process/stdio.ts';
import { SIGCHLD, SIGHUP, SIGKILL, SIGTERM, SIGUSR1, SIGWINCH, signalDescription } from '../../kernel/process/signal.ts';
import type { Timer } from '../../base/clock.ts';
import { WIFSIGNALED, WNOHANG, WTERMSIG } from '../../kernel/process/waitStatus.ts';
import { AddressSpace } from '../addressSpace.ts';
import { timeLocal } from '../nginxHttp.ts';
import { reapAll } from '../reap.ts';
import { ConfError, DEFAULT_CONF, readApacheConf, type ApacheConf } from './apache2Conf.ts';
import { burnCpu } from '../burnCpu.ts';
import { PHP_VERSION, REQUEST_NS, runCostNs, runPhp } from './zend.ts';

/** The version Debian jessie ships (2.4.10-10+deb8u…). */
export const APACHE_VERSION = '2.4.10';
/** When Debian's build of it was made, as `apache2 -v` prints it. */
const BUILT = 'Nov 28 2015 14:05:39';
/** CPU time of serving a file without PHP (parsing, mapping, stat, writing), ns. */
const STATIC_NS = 60_000;
/** prefork's MAX_SPAWN_RATE: children spawned per second at most. */
const MAX_SPAWN_RATE = 32;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TYPES: Record<string, string> = { html: 'text/html', htm: 'text/html', css: 'text/css', js: 'application/javascript', txt: 'text/plain', json: 'application/json', png: 'image/png', jpg: 'image/jpeg', gif: 'image/gif', svg: 'image/svg+xml' };

/** The error log's time: `Thu Jan 01 00:00:00.000000 2026`. */
function errorLogTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const us = Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(us, 6)} ${d.getUTCFullYear()}`;
}

/** What a response becomes on the wire, and what the access log needs of it. */
interface Reply {
  status: number;
  reason: string;
  headers: Headers;
  body: string;
}

/** The parent: configuration, listeners, logs, and its children. */
class Parent implements Program {
  sys!: ProgramContext;
  errorLog!: Sink;
  accessLogs: Array<{ sink: Sink; format: string }> = [];
  childCred: { uid: number; gid: number } | undefined;
  private readonly children = new Map<number, Child>();
  private readonly backlog: TcpSocket[] = [];
  private readonly listeners: ListenSocket[] = [];
  private stopping: 'graceful' | 'now' | undefined;
  private spawnRate = 1;
  private maintenance: Timer | undefined;
  /** The host name AH00558 resolved, for the 404 page's address line. */
  hostName = 'localhost';

  constructor(
    readonly host: Host,
    private readonly commandLine: string,
    readonly conf: ApacheConf,
  ) {}

  start(sys: ProgramContext): void {
    this.sys = sys;
    const { process } = sys;
    this.errorLog = openLog(this.host, process, this.conf.errorLog);
    for (const l of this.conf.customLogs) this.accessLogs.push({ sink: openLog(this.host, process, l.path), format: l.format });
    new AddressSpace(this.host, process, { vszKb: 166_280, rssKb: 19_620 });
    this.childCred = process.cred.euid === 0 ? lookupUser(this.host, process, this.conf.user, this.conf.group) : undefined;
    const vfs = this.host.vfsFor(process);
    try {
      vfs.stat(this.conf.pidFile);
      this.log('core', 'warn', `AH00098: pid file ${this.conf.pidFile} overwritten -- Unclean shutdown of previous Apache run?`);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
    }
    if (!this.bind()) return sys.exit(1);
    try {
      vfs.writeFile(this.conf.pidFile, `${this.pid}\n`);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      this.log('core', 'error', `(${error.errno})${error.describe}: AH00099: could not create ${this.conf.pidFile}`);
      this.log('core', 'error', `AH00100: apache2: could not log pid to file ${this.conf.pidFile}`);
      return sys.exit(1);
    }
    sys.sigaction(SIGTERM, () => this.stop('now'));
    sys.sigaction(SIGWINCH, () => this.stop('graceful'));
    sys.sigaction(SIGHUP, 'ignore');
    sys.sigaction(SIGUSR1, 'ignore');
    sys.sigaction(SIGCHLD, () => this.reap());
    const php = this.conf.modules.includes('php5_module') ? ` PHP/${PHP_VERSION}` : '';
    this.log('mpm_prefork', 'notice', `AH00163: Apache/${APACHE_VERSION} (Debian)${php} configured -- resuming normal operations`);
    this.log('core', 'notice', `AH00094: Command line: '${this.commandLine}'`);
    for (let i = 0; i < this.conf.prefork.startServers; i++) this.spawn();
    this.maintenance = sys.every(1000, () => this.idleMaintenance(), 'apache2/maintenance');
    sys.setRunState('S');
  }

  get pid(): number {
    return this.sys.process.pidIn(this.sys.process.pidNs);
  }

  /** The Server header (ServerTokens Full, the default the image keeps). */
  get serverToken(): string {
    return `Apache/${APACHE_VERSION} (Debian)${this.conf.modules.includes('php5_module') ? ` PHP/${PHP_VERSION}` : ''}`;
  }

  /** An error-log line: `[Thu Jan 01 00:00:00.000000 2026] [core:notice] [pid 1] AH00094: …`. */
  log(module: string, level: string, message: string, pid = this.pid, client?: string): void {
    this.errorLog.write(`[${errorLogTime(this.sys.now())}] [${module}:${level}] [pid ${pid}]${client ? ` [client ${client}]` : ''} ${message}\n`);
  }

  private bind(): boolean {
    const tcp = tcpOf(this.host);
    const listen = this.conf.listen;
    if (listen.length === 0) {
      this.sys.process.stdio.stderr.write('no listening sockets available, shutting down\nAH00015: Unable to open logs\n');
      return false;
    }
    for (const l of listen) {
      try {
        this.listeners.push(tcp.listen(this.sys.process, l.address, l.port, (socket) => this.accept(socket)));
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        const { stderr } = this.sys.process.stdio;
        stderr.write(`(${error.errno})${error.describe}: AH00072: make_sock: could not bind to address ${l.address}:${l.port}\n`);
        stderr.write('no listening sockets available, shutting down\nAH00015: Unable to open logs\n');
        for (const s of this.listeners.splice(0)) s.close();
        return false;
      }
    }
    return true;
  }

  /** A new connection: to an idle child, or into the backlog until one is free. */
  private accept(socket: TcpSocket): void {
    if (this.stopping) {
      socket.close();
      return;
    }
    const idle = [...this.children.values()].find((c) => c.idle && !c.exiting);
    if (idle) idle.serve(socket);
    else this.backlog.push(socket);
  }

  /** A child is free again: the next waiting connection, if any. */
  childIdle(child: Child): void {
    const next = this.backlog.shift();
    if (next && !this.stopping) child.serve(next);
  }

  private spawn(): void {
    const child = new Child(this);
    const proc = this.sys.clone({ program: child });
    this.children.set(proc.pidIn(this.sys.process.pidNs), child);
  }

  /** perform_idle_server_maintenance: keep the spare children between MinSpareServers and MaxSpareServers. */
  private idleMaintenance(): void {
    if (this.stopping) return;
    const { minSpareServers, maxSpareServers, maxRequestWorkers } = this.conf.prefork;
    const live = [...this.children.values()].filter((c) => !c.exiting);
    const idle = live.filter((c) => c.idle);
    if (idle.length > maxSpareServers) {
      idle.at(-1)!.gracefulStop();
      this.spawnRate = 1;
    } else if (idle.length < minSpareServers) {
      if (live.length >= maxRequestWorkers) {
        this.log('mpm_prefork', 'error', 'AH00161: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting');
        return;
      }
      const n = Math.min(this.spawnRate, maxRequestWorkers - live.length);
      for (let i = 0; i < n; i++) this.spawn();
      this.spawnRate = Math.min(this.spawnRate * 2, MAX_SPAWN_RATE);
    } else this.spawnRate = 1;
  }

  private stop(how: 'graceful' | 'now'): void {
    if (this.stopping === 'now' || (this.stopping && how === 'graceful')) return;
    this.stopping = how;
    this.maintenance?.cancel();
    for (const s of this.listeners.splice(0)) s.close();
    for (const s of this.backlog.splice(0)) s.close();
    if (how === 'now') {
      for (const pid of this.children.keys()) {
        try {
          this.sys.kill(pid, SIGTERM);
        } catch (error) {
          if (!(error instanceof KernelError)) throw error;
        }
      }
    } else {
      for (const child of this.children.values()) child.gracefulStop();
      this.log('mpm_prefork', 'notice', 'AH00170: caught SIGWINCH, shutting down gracefully');
    }
    this.exitIfDone();
  }

  private reap(): void {
    reapAll(this.sys, WNOHANG, ({ pid, status }) => {
      this.children.delete(pid);
      if (WIFSIGNALED(status) && ![SIGTERM, SIGKILL, SIGHUP, SIGUSR1].includes(WTERMSIG(status))) {
        this.log('core', 'notice', `AH00052: child pid ${pid} exit signal ${signalDescription(WTERMSIG(status))} (${WTERMSIG(status)})`);
      }
    });
    this.exitIfDone();
  }

  private exitIfDone(): void {
    if (!this.stopping || this.children.size > 0 || this.sys.process.exiting) return;
    try {
      this.host.vfsFor(this.sys.process).unlink(this.conf.pidFile);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
    }
    if (this.stopping === 'now') this.log('mpm_prefork', 'notice', 'AH00169: caught SIGTERM, shutting down');
    this.sys.exit(0);
  }
}

/** A prefork child: one connection at a time. */
class Child implements Program {
  sys!: ProgramContext;
  idle = false;
  exiting = false;
  private connections = 0;
  private socket: TcpSocket | undefined;

  constructor(private readonly parent: Parent) {}

  private get host(): Host {
    return this.parent.host;
  }

  start(sys: ProgramContext): void {
    this.sys = sys;
    const { process } = sys;
    const cred = this.parent.childCred;
    if (cred) this.host.table.commitCreds(process, userCred(process.cred.userNs, cred.uid, cred.gid));
    new AddressSpace(this.host, process, { vszKb: 166_304, rssKb: 7_260 });
    sys.sigaction(SIGCHLD, 'default');
    // just_die: the connection in hand is dropped, the child exits 0.
    sys.sigaction(SIGTERM, () => {
      this.onKilled();
      sys.exit(0);
    });
    sys.sigaction(SIGWINCH, 'ignore');
    sys.sigaction(SIGHUP, 'ignore');
    sys.sigaction(SIGUSR1, () => this.gracefulStop());
    sys.setRunState('S');
    this.becomeIdle();
  }

  /** Stop once the current connection (if any) is done. */
  gracefulStop(): void {
    if (this.exiting) return;
    this.exiting = true;
    if (this.idle || !this.socket) {
      this.idle = false;
      this.sys.exit(0);
    }
  }

  /** Killed: the connection it held (a socket of the parent's listener) is reset. */
  onKilled(): void {
    this.exiting = true;
    this.idle = false;
    this.socket?.reset();
    this.socket = undefined;
  }

  /** Serve `socket`'s requests until it closes, errs, or keep-alive ends. */
  serve(socket: TcpSocket): void {
    this.idle = false;
    this.socket = socket;
    this.connections++;
    const conf = this.parent.conf;
    const reader = new MessageReader('request');
    const queue: HttpRequest[] = [];
    let busy = false;
    let served = 0;
    let closed = false;
    let peerClosed = false;
    let keepAlive: Timer | undefined;
    const finish = () => {
      if (closed) return;
      closed = true;
      keepAlive?.cancel();
      socket.close();
      this.socket = undefined;
      const limit = conf.prefork.maxConnectionsPerChild;
      if (this.exiting || (limit > 0 && this.connections >= limit)) {
        this.exiting = true;
        this.sys.exit(0);
        return;
      }
      this.becomeIdle();
    };
    const next = () => {
      if (busy || closed) return;
      const request = queue.shift();
      if (!request) {
        keepAlive = this.sys.after(conf.keepAliveTimeoutS * 1000, finish, 'apache2/keepalive');
        return;
      }
      keepAlive?.cancel();
      busy = true;
      served++;
      const received = this.sys.now();
      this.handle(request, socket, (reply) => {
        busy = false;
        const persist = conf.keepAlive && !this.exiting && served < conf.maxKeepAliveRequests && request.version === 'HTTP/1.1' && headerValue(request.headers, 'Connection')?.toLowerCase() !== 'close';
        const type = reply.headers.findIndex(([n]) => n === 'Content-Type');
        const connection: Headers = persist ? [['Keep-Alive', `timeout=${conf.keepAliveTimeoutS}, max=${conf.maxKeepAliveRequests - served}`], ['Connection', 'Keep-Alive']] : [['Connection', 'close']];
        const headers = type < 0 ? [...reply.headers, ...connection] : [...reply.headers.slice(0, type), ...connection, ...reply.headers.slice(type)];
        const wire = `HTTP/1.1 ${reply.status} ${reply.reason}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n${request.method === 'HEAD' ? '' : reply.body}`;
        try {
          socket.write(wire);
        } catch (error) {
          if (!(error instanceof KernelError)) throw error;
          finish();
          return;
        }
        for (const log of this.parent.accessLogs) log.sink.write(`${formatLog(log.format, { socket, request, reply, bytes: utf8Length(wire), received, conf })}\n`);
        if (!persist || peerClosed) finish();
        else next();
      });
    };
    socket.receive({
      data: (chunk) => {
        if (closed) return;
        try {
          for (const m of reader.push(chunk)) {
            const [method = '', target = '', version = ''] = m.start;
            queue.push({ method, target, version, headers: m.headers, body: m.body });
          }
        } catch (error) {
          if (!(error instanceof HttpParseError)) throw error;
          finish();
          return;
        }
        next();
      },
      end: () => {
        peerClosed = true;
        if (!busy) finish();
      },
    });
  }

  private becomeIdle(): void {
    if (this.exiting) {
      this.sys.exit(0);
      return;
    }
    this.idle = true;
    this.parent.childIdle(this);
  }

  /** The response to `request`, after the CPU it costs. */
  private handle(request: HttpRequest, socket: TcpSocket, reply: (r: Reply) => void): void {
    const conf = this.parent.conf;
    const vfs = this.host.vfsFor(this.sys.process);
    const now = () => this.sys.now();
    const common = (): Headers => [['Date', new Date(now()).toUTCString()], ['Server', this.parent.serverToken]];
    const deflate = conf.modules.includes('deflate_module');
    const hostHeader = (headerValue(request.headers, 'Host') ?? conf.serverName ?? this.parent.hostName).replace(/:\d+$/, '');
    const errorPage = (status: number, reason: string, text: string): Reply => {
      const body = `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>${status} ${reason}</title>\n</head><body>\n<h1>${reason}</h1>\n<p>${text}</p>\n<hr>\n<address>${this.parent.serverToken} Server at ${hostHeader} Port ${socket.local.port}</address>\n</body></html>\n`;
      return { status, reason, headers: [...common(), ['Content-Length', String(utf8Length(body))], ['Content-Type', 'text/html; charset=iso-8859-1']], body };
    };
    const path = decodeURIComponent(request.target.split('?')[0] ?? '/');
    const statOf = (p: string) => {
      try {
        return vfs.stat(p);
      } catch (error) {
        if (error instanceof KernelError) return undefined;
        throw error;
      }
    };
    let file = `${conf.documentRoot}${path}`;
    let st = statOf(file);
    let result: Reply;
    let cpuNs = STATIC_NS;
    if (st && isDir(st.mode)) {
      if (!path.endsWith('/')) {
        const location = `http://${hostHeader}${path}/`;
        const r = errorPage(301, 'Moved Permanently', `The document has moved <a href="${location}">here</a>.`);
        r.headers.splice(2, 0, ['Location', location]);
        return this.afterCpu(cpuNs, () => reply(r));
      }
      const index = conf.directoryIndex.map((i) => `${file}${i}`).find((p) => {
        const s = statOf(p);
        return s !== undefined && !isDir(s.mode);
      });
      if (!index) return this.afterCpu(cpuNs, () => reply(errorPage(403, 'Forbidden', `You don't have permission to access ${path} on this server.`)));
      file = index;
      st = statOf(index);
    }
    if (!st) return this.afterCpu(cpuNs, () => reply(errorPage(404, 'Not Found', `The requested URL ${path} was not found on this server.`)));
    let source: string;
    try {
      source = vfs.readFile(file);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      return this.afterCpu(cpuNs, () => reply(errorPage(403, 'Forbidden', `You don't have permission to access ${path} on this server.`)));
    }
    if (conf.phpHandler && file.endsWith('.php')) {
      const run = runPhp(source, file);
      cpuNs = REQUEST_NS + runCostNs(run);
      let body = run.output;
      if (run.error) {
        const { kind, message, line } = run.error;
        body += `<br />\n<b>${kind}</b>:  ${message} in <b>${file}</b> on line <b>${line}</b><br />\n`;
        this.parent.log(':error', 'error', `PHP ${kind}:  ${message} in ${file} on line ${line}`, this.pid, `${socket.remote.address}:${socket.remote.port}`);
      }
      result = {
        status: 200,
        reason: 'OK',
        headers: [['X-Powered-By', `PHP/${PHP_VERSION}`], ...(deflate ? [['Vary', 'Accept-Encoding'] as [string, string]] : []), ['Content-Length', String(utf8Length(body))], ['Content-Type', 'text/html; charset=UTF-8']],
        body,
      };
    } else {
      const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
      const type = TYPES[ext] ?? 'text/plain';
      const size = utf8Length(source);
      result = {
        status: 200,
        reason: 'OK',
        headers: [
          ['Last-Modified', new Date(st.mtimeMs).toUTCString()],
          ['ETag', `"${size.toString(16)}-${Math.round(st.mtimeMs * 1000).toString(16)}"`],
          ['Accept-Ranges', 'bytes'],
          ['Content-Length', String(size)],
          ...(deflate && type === 'text/html' ? [['Vary', 'Accept-Encoding'] as [string, string]] : []),
          ['Content-Type', type],
        ],
        body: source,
      };
    }
    this.afterCpu(cpuNs, () => reply({ ...result, headers: [...common(), ...result.headers] }));
  }

  private afterCpu(ns: number, then: () => void): void {
    burnCpu(this.host, this.sys, ns, then);
  }

  private get pid(): number {
    return this.sys.process.pidIn(this.sys.process.pidNs);
  }
}

/** A log line in `format` (mod_log_config's %-directives). */
function formatLog(format: string, r: { socket: TcpSocket; request: HttpRequest; reply: Reply; bytes: number; received: number; conf: ApacheConf }): string {
  const header = (name: string) => headerValue(r.request.headers, name) || '-';
  const firstLine = `${r.request.method} ${r.request.target} ${r.request.version}`;
  return format.replace(/%(>|<)?(\{([^}]*)\})?([a-zA-Z%])/g, (_m, _when: string, _b: string, arg: string | undefined, c: string) => {
    switch (c) {
      case 'h':
      case 'a':
        return r.socket.remote.address;
      case 'l':
      case 'u':
        return '-';
      case 't':
        return `[${timeLocal(r.received)}]`;
      case 'r':
        return firstLine;
      case 's':
        return String(r.reply.status);
      case 'O':
        return String(r.bytes);
      case 'b':
        return r.request.method === 'HEAD' || r.reply.body === '' ? '-' : String(utf8Length(r.reply.body));
      case 'i':
        return header(arg ?? '');
      case 'v':
        return r.conf.serverName ?? 'localhost';
      case 'p':
        return String(r.socket.local.port);
      case 'U':
        return r.request.target.split('?')[0] ?? '/';
      case '%':
        return '%';
      default:
        return '-';
    }
  });
}

/** Where a log path leads: the process's stdout or stderr, else a file appended to. */
function openLog(host: Host, process: Process, path: string): Sink {
  if (path === '/proc/self/fd/2' || path === '/dev/stderr') return process.stdio.stderr;
  if (path === '/proc/self/fd/1' || path === '/dev/stdout') return process.stdio.stdout;
  const vfs = host.vfsFor(process);
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

/** getpwnam/getgrnam in the process's /etc/passwd and /etc/group (`#33` is a number). */
function lookupUser(host: Host, process: Process, user: string, group: string): { uid: number; gid: number } | undefined {
  const vfs = host.vfsFor(process);
  const find = (file: string, name: string, field: number): number | undefined => {
    if (name.startsWith('#')) return Number(name.slice(1));
    try {
      for (const line of vfs.readFile(file).split('\n')) {
        const parts = line.split(':');
        if (parts[0] === name && parts[field] !== undefined) return Number(parts[field]);
      }
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
    }
    return undefined;
  };
  const uid = find('/etc/passwd', user, 2);
  const gid = find('/etc/group', group, 2);
  return uid === undefined || gid === undefined ? undefined : { uid, gid };
}

/** AH00558's address: the host name's in /etc/hosts (a pod's IP), else 127.0.0.1 after AH00557. */
function serverAddress(host: Host, process: Process): { name: string; address: string; unresolved: boolean } {
  const name = host.uname(process).nodename;
  try {
    for (const line of host.vfsFor(process).readFile('/etc/hosts').split('\n')) {
      const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
      if (address && names.includes(name)) return { name, address, unresolved: false };
    }
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
  }
  return { name, address: '127.0.0.1', unresolved: true };
}

/** The apache2 binary: parses its command line, reads the configuration, runs (or daemonizes) the parent. */
export class Apache2 implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    const { process } = sys;
    const { stdout, stderr } = process.stdio;
    const argv = process.argv;
    const defines: string[] = [];
    let confPath = DEFAULT_CONF;
    let test = false;
    const shown: string[] = [argv[0]?.slice(argv[0].lastIndexOf('/') + 1) ?? 'apache2'];
    for (let i = 1; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg === '-v') {
        stdout.write(`Server version: Apache/${APACHE_VERSION} (Debian)\nServer built:   ${BUILT}\n`);
        return sys.exit(0);
      }
      if (arg === '-t') test = true;
      else if (arg.startsWith('-D')) {
        const name = arg.length > 2 ? arg.slice(2) : argv[++i];
        if (name === undefined) return this.usage(sys);
        defines.push(name);
        shown.push('-D', name);
      } else if (arg === '-f') {
        const file = argv[++i];
        if (file === undefined) return this.usage(sys);
        confPath = file.startsWith('/') ? file : `/etc/apache2/${file}`;
        shown.push('-f', file);
      } else return this.usage(sys);
    }
    const read = (): ApacheConf | undefined => {
      try {
        const conf = readApacheConf(this.host.vfsFor(process), confPath, defines);
        if (conf.serverName === undefined) {
          const server = serverAddress(this.host, process);
          if (server.unresolved) stderr.write(`AH00557: apache2: apr_sockaddr_info_get() failed for ${server.name}\n`);
          stderr.write(`AH00558: apache2: Could not reliably determine the server's fully qualified domain name, using ${server.address}. Set the 'ServerName' directive globally to suppress this message\n`);
        }
        return conf;
      } catch (error) {
        if (!(error instanceof ConfError)) throw error;
        stderr.write(`${error.message}\n`);
        return undefined;
      }
    };
    const conf = read();
    if (!conf) return sys.exit(1);
    if (test) {
      stderr.write('Syntax OK\n');
      return sys.exit(0);
    }
    // The configuration pass proper reads it all again.
    const again = read();
    if (!again) return sys.exit(1);
    const parent = new Parent(this.host, shown.join(' '), again);
    parent.hostName = again.serverName ?? serverAddress(this.host, process).address;
    if (defines.includes('FOREGROUND') || defines.includes('NO_DETACH')) return parent.start(sys);
    const child = sys.clone({ program: parent });
    this.host.table.setsid(child);
    sys.exit(0);
  }

  private usage(sys: ProgramContext): void {
    const name = sys.process.argv[0] ?? 'apache2';
    sys.process.stdio.stderr.write(
      `Usage: ${name} [-D name] [-d directory] [-f file]\n                 [-C "directive"] [-c "directive"]\n                 [-k start|restart|graceful|graceful-stop|stop]\n                 [-v] [-V] [-h] [-l] [-L] [-t] [-T] [-S] [-X]\n`,
    );
    sys.exit(1);
  }
}
