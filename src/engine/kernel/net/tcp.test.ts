import { describe, expect, it } from 'vitest';
import { podProcess } from './testing.ts';
import { bootHost } from '../../programs/testing.ts';
import { KernelError } from '../errno.ts';
import { CLONE_NEWNET } from '../ns/cloneFlags.ts';
import type { Process } from '../process/process.ts';
import { SIGKILL } from '../process/signal.ts';
import { formatRequest, MessageReader, serveHttp } from './http1.ts';
import { procNetTcp } from './procNetTcp.ts';
import type { TcpSocket } from './socket.ts';
import { tcpOf } from './tcp.ts';

const pod = podProcess;

const errno = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'connected';
  } catch (error) {
    return error instanceof KernelError ? error.code : String(error);
  }
};

/** A server that answers every chunk with its upper-case text. */
const upper = (socket: TcpSocket) => socket.receive({ data: (d) => socket.write(d.toUpperCase()) });

describe('Tcp', () => {
  it('connects from the host to a pod address and carries bytes both ways, then FIN', async () => {
    const host = bootHost();
    const web = pod(host, '10.244.1.2');
    const tcp = tcpOf(host);
    const accepted: string[] = [];
    tcp.listen(web, '0.0.0.0', 80, (s) => {
      accepted.push(`${s.local.address}:${s.local.port} <- ${s.remote.address}:${s.remote.port}`);
      upper(s);
    });
    const client = await tcp.connect(host.init.nsproxy!.net, { address: '10.244.1.2', port: 80 });
    const got: string[] = [];
    client.receive({ data: (d) => got.push(d), end: (why) => got.push(`<${why}>`) });
    client.write('ping');
    await Promise.resolve();
    await Promise.resolve();
    expect(accepted).toEqual(['10.244.1.2:80 <- 10.244.1.1:32768']);
    expect(got).toEqual(['PING']);
    tcp.sockets(web.nsproxy!.net)[1]!.close();
    await Promise.resolve();
    expect(got).toEqual(['PING', '<fin>']);
    expect(() => client.write('x')).not.toThrow();
    client.close();
    expect(() => client.write('x')).toThrow(KernelError);
  });

  it('refuses a port nobody listens on, times out an address nobody holds, and has no route from a namespace without one', async () => {
    const host = bootHost();
    const web = pod(host, '10.244.1.2');
    const tcp = tcpOf(host);
    const initial = host.init.nsproxy!.net;
    expect(await errno(tcp.connect(initial, { address: '10.244.1.2', port: 8080 }))).toBe('ECONNREFUSED');
    const pending = errno(tcp.connect(initial, { address: '10.244.1.99', port: 80 }, { timeoutMs: 1000 }));
    host.clock.advance(999);
    host.clock.advance(1);
    expect(await pending).toBe('ETIMEDOUT');
    const isolated = host.table.clone(host.init, { flags: CLONE_NEWNET });
    expect(await errno(tcp.connect(isolated.nsproxy!.net, { address: '127.0.0.1', port: 80 }))).toBe('ENETUNREACH');
    expect(await errno(tcp.connect(isolated.nsproxy!.net, { address: '10.244.1.2', port: 80 }))).toBe('ENETUNREACH');
    tcp.listen(web, '127.0.0.1', 6379, upper);
    expect(await errno(tcp.connect(web.nsproxy!.net, { address: '127.0.0.1', port: 6379 }))).toBe('connected');
    expect(await errno(tcp.connect(initial, { address: '10.244.1.2', port: 6379 }))).toBe('ECONNREFUSED');
  });

  it('binds: EADDRINUSE on an overlapping address, EADDRNOTAVAIL on one the namespace lacks; namespaces do not share ports', () => {
    const host = bootHost();
    const a = pod(host, '10.244.1.2');
    const b = pod(host, '10.244.1.3');
    const tcp = tcpOf(host);
    tcp.listen(a, '127.0.0.1', 80, upper);
    const code = (fn: () => unknown) => {
      try {
        fn();
        return 'ok';
      } catch (error) {
        return error instanceof KernelError ? error.code : String(error);
      }
    };
    expect(code(() => tcp.listen(a, '10.244.1.2', 80, upper))).toBe('ok');
    expect(code(() => tcp.listen(a, '0.0.0.0', 80, upper))).toBe('EADDRINUSE');
    expect(code(() => tcp.listen(a, '10.244.1.2', 80, upper))).toBe('EADDRINUSE');
    expect(code(() => tcp.listen(a, '10.244.1.3', 81, upper))).toBe('EADDRNOTAVAIL');
    expect(code(() => tcp.listen(b, '0.0.0.0', 80, upper))).toBe('ok');
  });

  it('closes a process’s listeners when it exits and resets its connections', async () => {
    const host = bootHost();
    const web = pod(host, '10.244.1.2');
    // The server is a child sharing the namespace, which outlives it as a pod's outlives its containers.
    const server = host.table.clone(web, {});
    const tcp = tcpOf(host);
    tcp.listen(server, '0.0.0.0', 80, (s) => s.receive({ data: () => undefined }));
    const client = await tcp.connect(host.init.nsproxy!.net, { address: '10.244.1.2', port: 80 });
    const ends: string[] = [];
    client.receive({ data: () => undefined, end: (why) => ends.push(why) });
    host.table.kill(host.init, server.hostPid, SIGKILL);
    await Promise.resolve();
    expect(ends).toEqual(['reset']);
    expect(tcp.sockets(web.nsproxy!.net)).toEqual([]);
    expect(await errno(tcp.connect(host.init.nsproxy!.net, { address: '10.244.1.2', port: 80 }))).toBe('ECONNREFUSED');
  });

  it('lists a namespace’s sockets as /proc/net/tcp does', async () => {
    const host = bootHost();
    const web = pod(host, '10.244.1.2');
    const tcp = tcpOf(host);
    tcp.listen(web, '0.0.0.0', 80, upper);
    await tcp.connect(web.nsproxy!.net, { address: '10.244.1.2', port: 80 });
    const lines = procNetTcp(tcp.sockets(web.nsproxy!.net)).split('\n');
    expect(lines.map((l) => l.trimEnd())).toEqual([
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40000 1 0000000000000000 100 0 0 10 0',
      '   1: 0201F40A:8000 0201F40A:0050 01 00000000:00000000 00:00000000 00000000     0        0 40001 1 0000000000000000 20 4 30 10 -1',
      '   2: 0201F40A:0050 0201F40A:8000 01 00000000:00000000 00:00000000 00000000     0        0 40002 1 0000000000000000 20 4 30 10 -1',
      '',
    ]);
    expect(lines[0]).toHaveLength(149);
  });

  it('is the host’s own table, read through /proc/net/tcp (the reader’s namespace), /proc/<pid>/net and /proc/<pid>/fd', async () => {
    const host = bootHost();
    const web = pod(host, '10.244.1.2');
    const server = host.table.clone(web, {});
    expect(tcpOf(host)).toBe(host.tcp);
    host.tcp.listen(server, '0.0.0.0', 80, upper);
    host.tcp.listen(server, '127.0.0.1', 6379, upper);
    await host.tcp.connect(host.init.nsproxy!.net, { address: '10.244.1.2', port: 80 });
    const read = (process: Process, path: string) => host.vfsFor(process).readFile(path).split('\n').map((l) => l.trimEnd());
    expect(read(server, '/proc/net/tcp')).toEqual([
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40000 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40001 1 0000000000000000 100 0 0 10 0',
      '   2: 0201F40A:0050 0101F40A:8000 01 00000000:00000000 00:00000000 00000000     0        0 40003 1 0000000000000000 20 4 30 10 -1',
      '',
    ]);
    expect(read(host.init, '/proc/net/tcp').slice(1)).toEqual([
      '   0: 0101F40A:8000 0201F40A:0050 01 00000000:00000000 00:00000000 00000000     0        0 40002 1 0000000000000000 20 4 30 10 -1',
      '',
    ]);
    expect(read(host.init, `/proc/${server.hostPid}/net/tcp`)).toHaveLength(5);
    expect(host.vfsFor(host.init).readFile('/proc/net/tcp6')).toBe('  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n');
    const fds = host.vfsFor(host.init).readdir(`/proc/${server.hostPid}/fd`).map((e) => `${e.name} -> ${host.vfsFor(host.init).readlink(`/proc/${server.hostPid}/fd/${e.name}`)}`);
    expect(fds).toEqual(['0 -> /dev/null', '1 -> /dev/null', '2 -> /dev/null', '3 -> socket:[40000]', '4 -> socket:[40001]', '5 -> socket:[40003]']);
  });

  it('serves HTTP/1.1 with serveHttp: Content-Length framing, keep-alive, Connection: close', async () => {
    const host = bootHost();
    const web = pod(host, '10.244.1.2');
    const tcp = tcpOf(host);
    tcp.listen(web, '0.0.0.0', 8080, (s) => serveHttp(s, (req) => ({ status: req.target === '/' ? 200 : 404, headers: [['Server', 'test']], body: `${req.method} ${req.target}\n` })));
    const client = await tcp.connect(host.init.nsproxy!.net, { address: '10.244.1.2', port: 8080 });
    const reader = new MessageReader('response');
    const got: string[] = [];
    client.receive({ data: (d) => reader.push(d).forEach((m) => got.push(`${m.start.join(' ')} | ${m.headers.map(([n, v]) => `${n}=${v}`).join(',')} | ${m.body}`)), end: (why) => got.push(`<${why}>`) });
    client.write(formatRequest({ method: 'GET', target: '/', version: 'HTTP/1.1', headers: [['Host', '10.244.1.2:8080']], body: '' }));
    client.write(formatRequest({ method: 'GET', target: '/nope', version: 'HTTP/1.1', headers: [['Connection', 'close']], body: '' }));
    for (let i = 0; i < 6; i++) await Promise.resolve();
    expect(got).toEqual(['HTTP/1.1 200 OK | Server=test,Content-Length=6 | GET /\n', 'HTTP/1.1 404 Not Found | Server=test,Content-Length=10 | GET /nope\n', '<fin>']);
  });
});
