import { describe, expect, it } from 'vitest';
import { NGINX_CONF, NGINX_DEFAULT_CONF, NGINX_INDEX_HTML } from '../runtime/registry/catalogue/nginxFiles.ts';
import { formatRequest, MessageReader } from '../kernel/net/http1.ts';
import { tcpOf } from '../kernel/net/tcp.ts';
import type { Host } from '../kernel/host.ts';
import { SIGKILL, SIGQUIT, SIGTERM } from '../kernel/process/signal.ts';
import { bootHost, psLines, runContainer, type TestContainer } from './testing.ts';

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

describe('nginx as a reverse proxy', () => {
  /** A GET to 127.0.0.1:`port` on the test host: the response's status line, headers and body. */
  const get = async (host: Host, port: number, path: string) => {
    const socket = await tcpOf(host).connect(host.init.nsproxy!.net, { address: '127.0.0.1', port });
    const reader = new MessageReader('response');
    const response = new Promise<string>((resolve) => socket.receive({ data: (d) => reader.push(d).forEach((m) => resolve(`${m.start.join(' ')}\n${m.headers.map(([n, v]) => `${n}: ${v}`).join('\n')}\n\n${m.body}`)) }));
    socket.write(formatRequest({ method: 'GET', target: path, version: 'HTTP/1.1', headers: [['Host', 'gateway'], ['User-Agent', 'curl/8.5.0'], ['Accept', '*/*']], body: '' }));
    return response;
  };
  const conf = (server: string) => `events {}\nhttp {\n    access_log /var/log/nginx/access.log;\n    server {\n${server}\n    }\n}\n`;

  function setUp(gateway: string): { host: Host; upstream: TestContainer } {
    const host = bootHost(1);
    nginxFiles(host);
    const vfs = host.vfsFor(host.init);
    vfs.symlink('/dev/stdout', '/var/log/nginx/access.log');
    vfs.writeFile('/etc/hosts', '127.0.0.1\tlocalhost\n127.0.0.1\tusers\n');
    vfs.mkdirAll('/srv/users');
    vfs.writeFile('/srv/users/index.html', 'users service\n');
    vfs.writeFile('/etc/nginx/up.conf', conf('        listen 8080;\n        root /srv;'));
    vfs.writeFile('/etc/nginx/gw.conf', conf(gateway));
    const upstream = runContainer(host, ['nginx', '-c', '/etc/nginx/up.conf', '-g', 'daemon off; pid /run/up.pid;'], { name: 'up' });
    return { host, upstream };
  }

  it('resolves proxy_pass hosts at start, passes a location to its upstream and its answer back', async () => {
    const { host, upstream } = setUp('        listen 80;\n        server_name gateway;\n        location /users/ {\n            proxy_pass http://users:8080;\n        }\n        location /api/ {\n            proxy_pass http://users:8080/users/;\n        }');
    const gw = runContainer(host, ['nginx', '-c', '/etc/nginx/gw.conf', '-g', 'daemon off;'], { name: 'gw' });
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(gw.process.exiting).toBe(false);
    const response = await get(host, 80, '/users/');
    expect(response).toBe('HTTP/1.1 200 OK\nServer: nginx/1.27.3\nDate: Thu, 01 Jan 2026 00:00:00 GMT\nContent-Type: text/html\nContent-Length: 14\nConnection: keep-alive\nLast-Modified: Thu, 01 Jan 2026 00:00:00 GMT\nAccept-Ranges: bytes\n\nusers service\n');
    expect(await get(host, 80, '/api/')).toContain('\n\nusers service\n');
    // The upstream saw nginx's HTTP/1.0 request, the URI rewritten for /api/; the gateway logged the client's.
    expect(upstream.stdio.out).toBe(
      '127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET /users/ HTTP/1.0" 200 14 "-" "curl/8.5.0" "-"\n127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET /users/ HTTP/1.0" 200 14 "-" "curl/8.5.0" "-"\n',
    );
    expect(gw.stdio.out).toBe('127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET /users/ HTTP/1.1" 200 14 "-" "curl/8.5.0" "-"\n127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET /api/ HTTP/1.1" 200 14 "-" "curl/8.5.0" "-"\n');
  });

  it('answers 502 and logs the failed connect when the upstream refuses', async () => {
    const { host } = setUp('        listen 80;\n        server_name gateway;\n        location /orders/ {\n            proxy_pass http://127.0.0.1:9090;\n        }');
    const gw = runContainer(host, ['nginx', '-c', '/etc/nginx/gw.conf', '-g', 'daemon off;'], { name: 'gw' });
    const response = await get(host, 80, '/orders/');
    expect(response.split('\n')[0]).toBe('HTTP/1.1 502 Bad Gateway');
    expect(response).toContain('<center><h1>502 Bad Gateway</h1></center>');
    expect(gw.stdio.err).toContain(
      '[error] 1#1: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: gateway, request: "GET /orders/ HTTP/1.1", upstream: "http://127.0.0.1:9090/orders/", host: "gateway"\n',
    );
    expect(gw.stdio.out).toContain('"GET /orders/ HTTP/1.1" 502 157');
  });

  it('refuses to start when a proxy_pass host does not resolve', async () => {
    const { host } = setUp('        listen 80;\n        location /cart/ {\n            proxy_pass http://cart;\n        }');
    const vfs = host.vfsFor(host.init);
    vfs.writeFile('/etc/resolv.conf', 'nameserver 127.0.0.1\n');
    const gw = runContainer(host, ['nginx', '-c', '/etc/nginx/gw.conf', '-g', 'daemon off;'], { name: 'gw' });
    for (let i = 0; i < 10 && !gw.process.exiting; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(gw.stdio.err).toContain('[emerg] 1#1: host not found in upstream "cart"\nnginx: [emerg] host not found in upstream "cart"\n');
    expect(gw.process.exitStatus).toBe(256);
    await expect(tcpOf(host).connect(host.init.nsproxy!.net, { address: '127.0.0.1', port: 80 })).rejects.toThrow('Connection refused');
  });
});
