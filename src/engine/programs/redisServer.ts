/**
 * redis-server — Redis 7.4.1 as docker.io/library/redis runs it: the startup log (the overcommit warning
 * when vm.overcommit_memory is 0, `oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`, the version line, the
 * no-config warning, `Server initialized`, `Ready to accept connections tcp`), an idle server's memory,
 * and the shutdown on SIGTERM or SIGINT: the signal handler's line, then at the next serverCron tick
 * (hz 10) `User requested shutdown...`, the final RDB snapshot (dump.rdb in its working directory, /data
 * in the image), and `Redis is now ready to exit, bye bye...`, exit 0. A snapshot that cannot be written
 * keeps it running, as Redis refuses to lose data. `--port N` and `--save ""` are honoured;
 * `--version` prints the version line of `redis-server -v`.
 *
 * Left out: serving the protocol (comes with the network), config files, persistence beyond the final
 * snapshot's file, and replication.
 */
import { KernelError } from '../kernel/errno.ts';
import type { Host } from '../kernel/host.ts';
import type { Program, ProgramContext } from '../kernel/process/program.ts';
import { SIGINT, SIGTERM, signalName } from '../kernel/process/signal.ts';
import { AddressSpace } from './addressSpace.ts';

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

  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    this.sys = sys;
    const { process } = sys;
    const args = process.argv.slice(1);
    if (args[0] === '-v' || args[0] === '--version') {
      process.stdio.stdout.write(`Redis server v=${REDIS_VERSION} sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=d3b0a0d2d8d2e1b1\n`);
      return sys.exit(0);
    }
    let port = 6379;
    let save = true;
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '--port' && /^\d+$/.test(args[i + 1] ?? '')) port = Number(args[++i]);
      else if (args[i] === '--save' && args[i + 1] === '') {
        save = false;
        i++;
      }
    }
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
