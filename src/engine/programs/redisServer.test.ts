import { describe, expect, it } from 'vitest';
import type { Host } from '../kernel/host.ts';
import type { Process } from '../kernel/process/process.ts';
import { SIGTERM } from '../kernel/process/signal.ts';
import { bootHost, CapturedStdio, runContainer } from './testing.ts';

describe('redis-server', () => {
  it('prints the start lines, holds memory, and shuts down on SIGTERM saving dump.rdb', () => {
    const host = bootHost();
    host.vfsFor(host.init).mkdir('/data');
    const ctr = runContainer(host, ['redis-server']);
    host.vfsFor(ctr.process).chdir('/data');
    const lines = ctr.stdio.out.split('\n');
    expect(lines[0]).toMatch(/^1:C 01 Jan 2026 00:00:00\.000 # WARNING Memory overcommit must be enabled!/);
    expect(lines.slice(1)).toEqual([
      '1:C 01 Jan 2026 00:00:00.000 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
      '1:C 01 Jan 2026 00:00:00.000 * Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started',
      '1:C 01 Jan 2026 00:00:00.000 # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf',
      '1:M 01 Jan 2026 00:00:00.000 * monotonic clock: POSIX clock_gettime',
      '1:M 01 Jan 2026 00:00:00.000 * Running mode=standalone, port=6379.',
      '1:M 01 Jan 2026 00:00:00.000 * Server initialized',
      '1:M 01 Jan 2026 00:00:00.000 * Ready to accept connections tcp',
      '',
    ]);
    expect(ctr.process.rssKb).toBeGreaterThan(10_000);
    host.clock.advance(10_050);
    ctr.stdio.out = '';
    host.table.kill(host.init, ctr.process.hostPid, SIGTERM);
    host.clock.advance(100);
    expect(ctr.stdio.out).toBe(
      '1:signal-handler (1767225610) Received SIGTERM scheduling shutdown...\n' +
        '1:M 01 Jan 2026 00:00:10.100 * User requested shutdown...\n' +
        '1:M 01 Jan 2026 00:00:10.100 * Saving the final RDB snapshot before exiting.\n' +
        '1:M 01 Jan 2026 00:00:10.100 * DB saved on disk\n' +
        '1:M 01 Jan 2026 00:00:10.100 # Redis is now ready to exit, bye bye...\n',
    );
    expect(ctr.process.exitStatus).toBe(0);
    expect(host.vfsFor(host.init).readFile('/data/dump.rdb')).toMatch(/^REDIS0012/);
  });
});

describe('redis-server on its port, and redis-cli', () => {
  /** Run redis-cli (as a child of `parent`, in its namespaces) and let the connection play out. */
  async function cli(host: Host, parent: Process, argv: string[], tty = false) {
    const stdio = new CapturedStdio();
    const process = host.table.clone(parent);
    process.stdio = tty ? Object.assign(stdio, { tty: 'pts/0' }) : stdio;
    const env = ['PATH=/usr/local/bin:/usr/bin:/bin'];
    host.execve(process, '/usr/bin/redis-cli', ['redis-cli', ...argv], env);
    for (let i = 0; i < 20 && process.exitStatus === undefined; i++) await Promise.resolve();
    return { out: stdio.out, err: stdio.err, status: process.exitStatus === undefined ? undefined : process.exitStatus >> 8 };
  }

  it('answers PING, SET, GET, INFO and errors over RESP, and lists its socket', async () => {
    const host = bootHost();
    host.vfsFor(host.init).writeFile('/sys/fs/cgroup/cgroup.subtree_control', '+cpu +memory +pids');
    const ctr = runContainer(host, ['redis-server']);
    expect(host.tcp.sockets(ctr.process.nsproxy!.net).map((s) => `${s.local.address}:${s.local.port} fd=${s.fd}`)).toEqual(['0.0.0.0:6379 fd=3']);
    expect(await cli(host, ctr.process, ['PING'], true)).toEqual({ out: 'PONG\n', err: '', status: 0 });
    expect(await cli(host, ctr.process, ['set', 'k', 'v 1'], true)).toEqual({ out: 'OK\n', err: '', status: 0 });
    expect(await cli(host, ctr.process, ['GET', 'k'], true)).toEqual({ out: '"v 1"\n', err: '', status: 0 });
    expect(await cli(host, ctr.process, ['GET', 'k'])).toEqual({ out: 'v 1\n', err: '', status: 0 });
    expect(await cli(host, ctr.process, ['GET', 'nope'], true)).toEqual({ out: '(nil)\n', err: '', status: 0 });
    expect(await cli(host, ctr.process, ['-h', 'localhost', '-p', '6379', 'EXISTS', 'k', 'nope'], true)).toEqual({ out: '(integer) 1\n', err: '', status: 0 });
    expect(await cli(host, ctr.process, ['GET'], true)).toEqual({ out: "(error) ERR wrong number of arguments for 'get' command\n", err: '', status: 1 });
    expect(await cli(host, ctr.process, ['FOO', 'a', 'b'], true)).toEqual({ out: "(error) ERR unknown command 'FOO', with args beginning with: 'a' 'b' \n", err: '', status: 1 });
    const info = await cli(host, ctr.process, ['INFO', 'server'], true);
    expect(info.out.split('\r\n').slice(0, 2)).toEqual(['# Server', 'redis_version:7.4.1']);
    expect(info.out).toContain('\r\nprocess_id:1\r\ntcp_port:6379\r\n');
    expect(info.out.endsWith('\r\n\n')).toBe(true);
  });

  it('binds its config’s address and port, and redis-cli is refused where nobody listens', async () => {
    const host = bootHost();
    host.vfsFor(host.init).writeFile('/etc/redis.conf', 'bind 127.0.0.1 -::1\nport 7000\n');
    const ctr = runContainer(host, ['redis-server', '/etc/redis.conf']);
    host.vfsFor(ctr.process).chdir('/');
    expect(host.tcp.sockets(ctr.process.nsproxy!.net).map((s) => `${s.local.address}:${s.local.port}`)).toEqual(['127.0.0.1:7000']);
    expect(await cli(host, ctr.process, ['-p', '7000', 'PING'])).toEqual({ out: 'PONG\n', err: '', status: 0 });
    expect(await cli(host, ctr.process, ['PING'])).toEqual({ out: '', err: 'Could not connect to Redis at 127.0.0.1:6379: Connection refused\n', status: 1 });
    const clash = host.table.clone(ctr.process);
    const stdio = new CapturedStdio();
    clash.stdio = stdio;
    host.execve(clash, '/usr/bin/redis-server', ['redis-server', '--port', '7000', '--bind', '127.0.0.1'], []);
    expect(stdio.out.split('\n').slice(-3)).toEqual([
      expect.stringMatching(/# Warning: Could not create server TCP listening socket 127\.0\.0\.1:7000: bind: Address already in use$/),
      expect.stringMatching(/# Failed listening on port 7000 \(tcp\), aborting\.$/),
      '',
    ]);
    expect(clash.exitStatus).toBe(256);
  });
});
