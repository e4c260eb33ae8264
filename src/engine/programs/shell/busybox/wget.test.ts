import { describe, expect, it } from 'vitest';
import { serveHttp } from '../../../kernel/net/http1.ts';
import { bootShellHost, runIn } from '../../../shell/host/testing.ts';
import { RCODE, decodeMessage, encodeMessage } from '../../coredns/dnsMessage.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

const PAGE = '<h1>hello</h1>\n';

/**
 * A host with busybox at /opt/busybox, `web` in /etc/hosts (127.0.0.1), a nameserver on 127.0.0.1:53
 * that answers NXDOMAIN to everything, and an HTTP server on 127.0.0.1:80 (`/` is PAGE, else 404).
 */
async function run(script: string) {
  const { clock, shell, host } = bootShellHost('box');
  const vfs = host.vfsFor(host.init);
  const netns = host.init.nsproxy!.net;
  host.installProgram('/opt/busybox', 'busybox');
  vfs.writeFile('/etc/hosts', '127.0.0.1\tlocalhost web\n');
  vfs.writeFile('/etc/resolv.conf', 'nameserver 127.0.0.1\n');
  const dns = host.udp.socket(netns);
  dns.bind('127.0.0.1', 53);
  const serve = (): void => {
    void dns.recv().then(({ data, from }) => {
      const q = decodeMessage(data);
      dns.send(encodeMessage({ ...q, flags: { ...q.flags, qr: true, rcode: RCODE.NXDOMAIN } }), from);
      serve();
    });
  };
  serve();
  host.tcp.listenIn(netns, undefined, '127.0.0.1', 80, (socket) =>
    serveHttp(socket, (request) => (request.target === '/' ? { status: 200, headers: [['Content-Type', 'text/html']], body: PAGE } : { status: 404, headers: [], body: 'nope\n' })),
  );
  return runIn(shell.openSession({ id: '1', tty: false }), clock, script, tick);
}

describe('busybox wget', () => {
  it('fetches to stdout quietly, and to a file with its progress lines', async () => {
    expect(await run('/opt/busybox wget -qO- http://web/')).toEqual({ stdout: PAGE, stderr: '', status: 0 });
    const saved = await run('cd /tmp && /opt/busybox wget web && cat index.html');
    expect(saved.stdout).toBe(PAGE);
    expect(saved.stderr).toBe("Connecting to web (127.0.0.1:80)\nsaving to 'index.html'\nindex.html           100% |*******************************|    15   0:00:00 ETA\n'index.html' saved\n");
  });

  it.each([
    ['/opt/busybox wget -qO- http://nosuch/', "wget: bad address 'nosuch'\n"],
    ['/opt/busybox wget -qO- http://127.0.0.1:8080/', "wget: can't connect to remote host (127.0.0.1): Connection refused\n"],
    ['/opt/busybox wget -qO- http://web/missing', 'wget: server returned error: HTTP/1.1 404 Not Found\n'],
    ['/opt/busybox wget -qO- gopher://web/', 'wget: not an http or ftp url: gopher://web/\n'],
    ['/opt/busybox wget -q -O /proc/nope http://web/', "wget: can't open '/proc/nope': "],
    ['/opt/busybox wget -Z http://web/', "wget: invalid option -- 'Z'\nBusyBox v1.36.1"],
    ['/opt/busybox wget', 'Usage: wget [-cqS] [--spider] [-O FILE]'],
  ])('%s fails with busybox’s words', async (script, stderr) => {
    const result = await run(script);
    expect(result.stderr).toContain(stderr);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(1);
  });

  it('gives up after -T seconds when nothing answers the SYN', async () => {
    const result = await run('/opt/busybox wget -q -T 3 -O- http://10.1.2.3/');
    expect(result).toEqual({ stdout: '', stderr: 'wget: download timed out\n', status: 1 });
  });
});
