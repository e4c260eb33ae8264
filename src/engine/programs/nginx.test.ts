import { describe, expect, it } from 'vitest';
import { NGINX_CONF, NGINX_DEFAULT_CONF, NGINX_INDEX_HTML } from '../runtime/registry/catalogue/nginxFiles.ts';
import { formatRequest, MessageReader } from '../kernel/net/http1.ts';
import { tcpOf } from '../kernel/net/tcp.ts';
import type { Host } from '../kernel/host.ts';
import { SIGKILL, SIGQUIT, SIGTERM } from '../kernel/process/signal.ts';
import { bootHost, psLines, runContainer } from './testing.ts';

/** The image's configuration and log links, on the host's own disk. */
function nginxFiles(host: Host): void {
  const vfs = host.vfsFor(host.init);
  vfs.mkdirAll('/etc/nginx');
  vfs.writeFile('/etc/nginx/nginx.conf', NGINX_CONF);
  vfs.mkdirAll('/var/log/nginx');
  vfs.symlink('/dev/stderr', '/var/log/nginx/error.log');
  vfs.writeFile('/etc/passwd', `${vfs.readFile('/etc/passwd')}nginx:x:101:101:nginx user:/nonexistent:/bin/false\n`);
}

const START = (workers: number[]) =>
  '2026/01/01 00:00:00 [notice] 1#1: using the "epoll" event method\n' +
  '2026/01/01 00:00:00 [notice] 1#1: nginx/1.27.3\n' +
  '2026/01/01 00:00:00 [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) \n' +
  '2026/01/01 00:00:00 [notice] 1#1: OS: Linux 6.8.0-49-generic\n' +
  '2026/01/01 00:00:00 [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576\n' +
  '2026/01/01 00:00:00 [notice] 1#1: start worker processes\n' +
  workers.map((w) => `2026/01/01 00:00:00 [notice] 1#1: start worker process ${w}\n`).join('');

describe('nginx', () => {
  it('starts a master and one worker per CPU with worker_processes auto, workers as the nginx user', () => {
    const host = bootHost(2);
    nginxFiles(host);
    const ctr = runContainer(host, ['nginx', '-g', 'daemon off;']);
    expect(ctr.stdio.err).toBe(START([2, 3]));
    expect(psLines(host, ctr)).toEqual(['1 S nginx: master process nginx -g daemon off;', '2 S nginx: worker process', '3 S nginx: worker process']);
    const [, worker] = host.table.list(ctr.process.pidNs);
    expect(worker!.cred.uid).toBe(101);
    expect(ctr.process.cred.uid).toBe(0);
    expect(host.vfsFor(ctr.process).readFile('/var/run/nginx.pid')).toBe('1\n');
    expect(worker!.rssKb).toBeGreaterThan(0);
  });

  it('follows the cpuset for auto, and a number when given', () => {
    const host = bootHost(4);
    nginxFiles(host);
    const ctr = runContainer(host, ['nginx', '-g', 'daemon off;'], { cgroupFiles: { 'cpuset.cpus': '0' } });
    expect(psLines(host, ctr)).toHaveLength(2);
    const fixed = runContainer(host, ['nginx', '-g', 'daemon off; worker_processes 3;'], { name: 'fixed' });
    expect(psLines(host, fixed)).toHaveLength(4);
  });

  it('shuts down gracefully on SIGQUIT', () => {
    const host = bootHost(1);
    nginxFiles(host);
    const ctr = runContainer(host, ['nginx', '-g', 'daemon off;']);
    host.clock.advance(61_000);
    host.table.kill(host.init, ctr.process.hostPid, SIGQUIT);
    expect(ctr.stdio.err.slice(START([2]).length)).toBe(
      '2026/01/01 00:01:01 [notice] 1#1: signal 3 (SIGQUIT) received, shutting down\n' +
        '2026/01/01 00:01:01 [notice] 2#2: gracefully shutting down\n' +
        '2026/01/01 00:01:01 [notice] 2#2: exiting\n' +
        '2026/01/01 00:01:01 [notice] 2#2: exit\n' +
        '2026/01/01 00:01:01 [notice] 1#1: signal 17 (SIGCHLD) received from 2\n' +
        '2026/01/01 00:01:01 [notice] 1#1: worker process 2 exited with code 0\n' +
        '2026/01/01 00:01:01 [notice] 1#1: exit\n',
    );
    expect(ctr.process.exitStatus).toBe(0);
  });

  it('exits at once on SIGTERM', () => {
    const host = bootHost(1);
    nginxFiles(host);
    const ctr = runContainer(host, ['nginx', '-g', 'daemon off;']);
    host.table.kill(host.init, ctr.process.hostPid, SIGTERM);
    expect(ctr.stdio.err.slice(START([2]).length)).toBe(
      '2026/01/01 00:00:00 [notice] 1#1: signal 15 (SIGTERM) received, exiting\n' +
        '2026/01/01 00:00:00 [notice] 2#2: exiting\n' +
        '2026/01/01 00:00:00 [notice] 2#2: exit\n' +
        '2026/01/01 00:00:00 [notice] 1#1: signal 17 (SIGCHLD) received from 2\n' +
        '2026/01/01 00:00:00 [notice] 1#1: worker process 2 exited with code 0\n' +
        '2026/01/01 00:00:00 [notice] 1#1: exit\n',
    );
    expect(ctr.process.exitStatus).toBe(0);
  });

  it('respawns a worker killed behind its back', () => {
    const host = bootHost(1);
    nginxFiles(host);
    const ctr = runContainer(host, ['nginx', '-g', 'daemon off;']);
    const worker = host.table.list(ctr.process.pidNs)[1]!;
    host.table.kill(host.init, worker.hostPid, SIGKILL);
    expect(ctr.stdio.err.slice(START([2]).length)).toBe(
      '2026/01/01 00:00:00 [notice] 1#1: signal 17 (SIGCHLD) received from 2\n' +
        '2026/01/01 00:00:00 [alert] 1#1: worker process 2 exited on signal 9\n' +
        '2026/01/01 00:00:00 [notice] 1#1: start worker process 3\n',
    );
    expect(psLines(host, ctr)).toEqual(['1 S nginx: master process nginx -g daemon off;', '3 S nginx: worker process']);
  });

  it('reports a missing configuration and exits 1', () => {
    const host = bootHost(1);
    const ctr = runContainer(host, ['nginx', '-g', 'daemon off;']);
    expect(ctr.stdio.err).toBe('nginx: [emerg] open() "/etc/nginx/nginx.conf" failed (2: No such file or directory)\n');
    expect(ctr.process.exitStatus).toBe(1 << 8);
  });

  it('tests its configuration with -t and daemonizes without daemon off', () => {
    const host = bootHost(1);
    nginxFiles(host);
    const test = runContainer(host, ['nginx', '-t']);
    expect(test.stdio.err).toBe('nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n');
    const daemon = runContainer(host, ['nginx'], { name: 'daemon' });
    expect(daemon.process.exitStatus).toBe(0);
    expect(host.table.list(daemon.process.pidNs)).toEqual([]);
  });
});

describe('nginx serving HTTP', () => {
  it('binds its listen port, answers GETs from the root (200 index.html, 404 page) and logs each request', async () => {
    const host = bootHost(1);
    nginxFiles(host);
    const vfs = host.vfsFor(host.init);
    vfs.mkdirAll('/etc/nginx/conf.d');
    vfs.writeFile('/etc/nginx/conf.d/default.conf', NGINX_DEFAULT_CONF);
    vfs.mkdirAll('/usr/share/nginx/html');
    vfs.writeFile('/usr/share/nginx/html/index.html', NGINX_INDEX_HTML);
    vfs.symlink('/dev/stdout', '/var/log/nginx/access.log');
    const ctr = runContainer(host, ['nginx', '-g', 'daemon off;']);
    const tcp = tcpOf(host);
    const get = async (path: string) => {
      const socket = await tcp.connect(host.init.nsproxy!.net, { address: '127.0.0.1', port: 80 });
      const reader = new MessageReader('response');
      const response = new Promise<string>((resolve) => socket.receive({ data: (d) => reader.push(d).forEach((m) => resolve(`${m.start.join(' ')}\n${m.headers.map(([n, v]) => `${n}: ${v}`).join('\n')}\n\n${m.body}`)) }));
      socket.write(formatRequest({ method: 'GET', target: path, version: 'HTTP/1.1', headers: [['Host', 'localhost'], ['User-Agent', 'curl/8.5.0'], ['Accept', '*/*']], body: '' }));
      return response;
    };
    const index = await get('/');
    expect(index.split('\n\n')[0]).toBe('HTTP/1.1 200 OK\nServer: nginx/1.27.3\nDate: Thu, 01 Jan 2026 00:00:00 GMT\nContent-Type: text/html\nContent-Length: 615\nLast-Modified: Thu, 01 Jan 2026 00:00:00 GMT\nConnection: keep-alive\nAccept-Ranges: bytes');
    expect(index.endsWith(NGINX_INDEX_HTML)).toBe(true);
    expect(await get('/nope')).toBe(
      'HTTP/1.1 404 Not Found\nServer: nginx/1.27.3\nDate: Thu, 01 Jan 2026 00:00:00 GMT\nContent-Type: text/html\nContent-Length: 153\nConnection: keep-alive\n\n<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n',
    );
    expect(ctr.stdio.out).toBe('127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"\n127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET /nope HTTP/1.1" 404 153 "-" "curl/8.5.0" "-"\n');
    const second = runContainer(host, ['nginx', '-g', 'daemon off;'], { name: 'second' });
    expect(second.stdio.err).toContain('[emerg] 1#1: bind() to 0.0.0.0:80 failed (98: Address already in use)\n');
    host.table.kill(host.init, ctr.process.hostPid, SIGQUIT);
    await expect(tcp.connect(host.init.nsproxy!.net, { address: '127.0.0.1', port: 80 })).rejects.toThrow('Connection refused');
  });
});
