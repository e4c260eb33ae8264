/**
 * redis-server — Redis 7.4.1 as docker.io/library/redis runs it: the startup log (the overcommit warning
 * when vm.overcommit_memory is 0, `oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`, the version line, the
 * no-config warning, `Server initialized`, `Ready to accept connections tcp`), an idle server's memory,
 * and the shutdown on SIGTERM or SIGINT: the signal handler's line, then at the next serverCron tick
 * (hz 10) `User requested shutdown...`, the final RDB snapshot (dump.rdb in its working directory, /data
 * in the image), and `Redis is now ready to exit, bye bye...`, exit 0. A snapshot that cannot be written
 * keeps it running, as Redis refuses to lose data. `--version` prints the version line of `redis-server -v`.
 *
 * It listens on `port` (6379) of every `bind` address — by default `* -::*`, which is 0.0.0.0 here (no
 * IPv6; a `-` address is optional) — taken from a config file named first (`bind`, `port` and `save`
 * lines) and then `--bind`, `--port`, `--save ""`; a bind that fails is logged and ends it with status 1.
 * Each connection speaks RESP2 (resp.ts): PING, ECHO, SET, GET, DEL, EXISTS, DBSIZE, FLUSHALL, INFO
 * [server], QUIT, and `-ERR unknown command …` / wrong-arity errors as Redis words them. Protected
 * mode is off, as the docker image builds it.
 *
 * Left out: other commands and options of SET, expiry, databases but 0, persistence beyond the final
 * snapshot's file (the keys are not saved in it), authentication and replication.
 */
import { KernelError } from '../kernel/errno.ts';
import type { Host } from '../kernel/host.ts';
import type { TcpSocket } from '../kernel/net/socket.ts';
import type { Program, ProgramContext } from '../kernel/process/program.ts';
import { SIGINT, SIGTERM, signalName } from '../kernel/process/signal.ts';
import { AddressSpace } from './addressSpace.ts';
import { RespReader, type RespValue, respEncode } from './resp.ts';

/** The version the image ships. */
export const REDIS_VERSION = '7.4.1';
/** serverCron's period at the default hz 10. */
const CRON_MS = 100;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** serverLog's timestamp: `01 Jan 2026 00:00:00.000`. */
function redisTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

export class RedisServer implements Program {
  private sys!: ProgramContext;
  private role: 'C' | 'M' = 'C';
  private shutdownAsked = false;
  private port = 6379;
  private configFile = '';
  private readonly data = new Map<string, string>();

  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    this.sys = sys;
    const { process } = sys;
    const args = process.argv.slice(1);
    if (args[0] === '-v' || args[0] === '--version') {
      process.stdio.stdout.write(`Redis server v=${REDIS_VERSION} sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=d3b0a0d2d8d2e1b1\n`);
      return sys.exit(0);
    }
    let save = true;
    let bind = ['*', '-::*'];
    const config = args[0] !== undefined && !args[0].startsWith('-') ? args.shift() : undefined;
    if (config !== undefined) {
      this.configFile = config.startsWith('/') ? config : `${this.host.vfsFor(process).getcwd().replace(/\/$/, '')}/${config}`;
      let text: string;
      try {
        text = this.host.vfsFor(process).readFile(config);
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        process.stdio.stderr.write(`\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***\nFatal error, can't open config file '${config}': ${error.describe}\n`);
        return sys.exit(1);
      }
      for (const line of text.split('\n')) {
        const [key, ...values] = line.trim().split(/\s+/);
        if (key?.toLowerCase() === 'port' && /^\d+$/.test(values[0] ?? '')) this.port = Number(values[0]);
        else if (key?.toLowerCase() === 'bind' && values.length > 0) bind = values;
        else if (key?.toLowerCase() === 'save' && (values[0] === '""' || values[0] === "''")) save = false;
      }
    }
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '--port' && /^\d+$/.test(args[i + 1] ?? '')) this.port = Number(args[++i]);
      else if (args[i] === '--bind') {
        bind = [];
        while (args[i + 1] !== undefined && !args[i + 1]!.startsWith('--')) bind.push(args[++i]!);
      } else if (args[i] === '--save' && args[i + 1] === '') {
        save = false;
        i++;
      }
    }
    const port = this.port;
    new AddressSpace(this.host, process, { vszKb: 141_392, rssKb: 11_776 });
    const pid = process.pidIn(process.pidNs);
    if (this.host.sysctl.overcommitMemory === 0) {
      this.log('#', "WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. Being disabled, it can also cause failures without low memory condition, see https://github.com/jemalloc/jemalloc/issues/1328. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.");
    }
    this.log('*', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
    this.log('*', `Redis version=${REDIS_VERSION}, bits=64, commit=00000000, modified=0, pid=${pid}, just started`);
    this.log('#', 'Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf');
    this.role = 'M';
    this.log('*', 'monotonic clock: POSIX clock_gettime');
    this.log('*', `Running mode=standalone, port=${port}.`);
    if (!this.listen(bind)) return sys.exit(1);
    this.log('*', 'Server initialized');
    this.log('*', 'Ready to accept connections tcp');
    const onSignal = (signal: number) => {
      process.stdio.stdout.write(`${pid}:signal-handler (${Math.floor(sys.now() / 1000)}) Received ${signalName(signal)} scheduling shutdown...\n`);
      this.shutdownAsked = true;
    };
    sys.sigaction(SIGTERM, onSignal);
    sys.sigaction(SIGINT, onSignal);
    sys.setRunState('S');
    sys.every(CRON_MS, () => {
      if (this.shutdownAsked) this.shutdown(save);
    }, 'redis serverCron');
  }

  /** listenToPort: each bind address (`*` is 0.0.0.0; IPv6 ones cannot be had here, and `-` ones may fail). */
  private listen(bind: readonly string[]): boolean {
    const { process } = this.sys;
    for (const entry of bind) {
      const optional = entry.startsWith('-');
      const address = optional ? entry.slice(1) : entry;
      if (address.includes(':')) {
        if (optional) continue;
        this.log('#', `Warning: Could not create server TCP listening socket ${address}:${this.port}: socket: Address family not supported by protocol`);
        this.log('#', `Failed listening on port ${this.port} (tcp), aborting.`);
        return false;
      }
      try {
        this.host.tcp.listen(process, address === '*' ? '0.0.0.0' : address, this.port, (socket) => this.serve(socket));
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        if (optional && error.code === 'EADDRNOTAVAIL') continue;
        this.log('#', `Warning: Could not create server TCP listening socket ${address}:${this.port}: bind: ${error.describe}`);
        this.log('#', `Failed listening on port ${this.port} (tcp), aborting.`);
        return false;
      }
    }
    return true;
  }

  /** A client's connection: each command read is answered in turn. */
  private serve(socket: TcpSocket): void {
    const reader = new RespReader();
    socket.receive({
      data: (chunk) => {
        for (const command of reader.push(chunk)) {
          if (socket.closed) return;
          const args = Array.isArray(command) ? command.map((a) => (typeof a === 'string' ? a : String(a))) : [];
          if (args.length === 0) continue;
          const reply = this.execute(args);
          try {
            socket.write(respEncode(reply));
          } catch (error) {
            if (!(error instanceof KernelError)) throw error;
            return;
          }
          if (args[0]!.toLowerCase() === 'quit') socket.close();
        }
      },
      end: () => socket.close(),
    });
  }

  /** processCommand: the reply to one command. */
  private execute(args: readonly string[]): RespValue {
    const [name = '', ...rest] = args;
    const cmd = name.toLowerCase();
    const arity: Record<string, [number, number]> = { ping: [0, 1], echo: [1, 1], set: [2, 2], get: [1, 1], del: [1, Infinity], exists: [1, Infinity], dbsize: [0, 0], flushall: [0, 1], info: [0, Infinity], quit: [0, Infinity] };
    const bounds = arity[cmd];
    if (!bounds) {
      const shown = rest.map((a) => `'${a.slice(0, 128)}' `).join('');
      return { error: `ERR unknown command '${name.slice(0, 128)}', with args beginning with: ${shown}` };
    }
    if (rest.length < bounds[0] || rest.length > bounds[1]) return { error: `ERR wrong number of arguments for '${cmd}' command` };
    switch (cmd) {
      case 'ping':
        return rest.length ? rest[0]! : { status: 'PONG' };
      case 'echo':
        return rest[0]!;
      case 'set':
        this.data.set(rest[0]!, rest[1]!);
        return { status: 'OK' };
      case 'get':
        return this.data.get(rest[0]!) ?? null;
      case 'del':
        return rest.filter((k) => this.data.delete(k)).length;
      case 'exists':
        return rest.filter((k) => this.data.has(k)).length;
      case 'dbsize':
        return this.data.size;
      case 'flushall':
        this.data.clear();
        return { status: 'OK' };
      case 'info':
        return this.info();
      default:
        return { status: 'OK' };
    }
  }

  /** INFO's server section. */
  private info(): string {
    const { process } = this.sys;
    const uts = this.host.uname(process);
    const uptime = Math.floor((this.sys.now() - process.startTime) / 1000);
    const lines = [
      '# Server',
      `redis_version:${REDIS_VERSION}`,
      'redis_git_sha1:00000000',
      'redis_git_dirty:0',
      'redis_build_id:d3b0a0d2d8d2e1b1',
      'redis_mode:standalone',
      `os:${uts.sysname} ${uts.release} ${uts.machine}`,
      'arch_bits:64',
      'monotonic_clock:POSIX clock_gettime',
      'multiplexing_api:epoll',
      'gcc_version:12.2.0',
      `process_id:${process.pidIn(process.pidNs)}`,
      `tcp_port:${this.port}`,
      `uptime_in_seconds:${uptime}`,
      `uptime_in_days:${Math.floor(uptime / 86400)}`,
      'hz:10',
      `executable:${process.exe ?? ''}`,
      `config_file:${this.configFile}`,
    ];
    return `${lines.join('\r\n')}\r\n`;
  }

  private shutdown(save: boolean): void {
    this.shutdownAsked = false;
    this.log('*', 'User requested shutdown...');
    if (save) {
      this.log('*', 'Saving the final RDB snapshot before exiting.');
      const vfs = this.host.vfsFor(this.sys.process);
      try {
        vfs.writeFile('dump.rdb', `REDIS0012\u00fa\tredis-ver\u0005${REDIS_VERSION}\u00ff`);
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        const pid = this.sys.process.pidIn(this.sys.process.pidNs);
        this.log('#', `Failed opening the temp RDB file temp-${pid}.rdb (in server root dir ${vfs.getcwd()}) for saving: ${error.describe}`);
        this.log('#', 'Error trying to save the DB, can\'t exit.');
        this.log('#', 'Errors trying to shut down the server. Check the logs for more information.');
        return;
      }
      this.log('*', 'DB saved on disk');
    }
    this.log('#', 'Redis is now ready to exit, bye bye...');
    this.sys.exit(0);
  }

  /** serverLog: `1:M 01 Jan 2026 00:00:00.000 * message`. */
  private log(level: '.' | '-' | '*' | '#', message: string): void {
    const pid = this.sys.process.pidIn(this.sys.process.pidNs);
    this.sys.process.stdio.stdout.write(`${pid}:${this.role} ${redisTime(this.sys.now())} ${level} ${message}\n`);
  }
}
