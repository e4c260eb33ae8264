import { describe, expect, it } from 'vitest';
import { HPA_EXAMPLE_INDEX_PHP, MPM_PREFORK_CONF, PHP_APACHE2_CONF } from '../../runtime/registry/catalogue/hpaExample.ts';
import { formatRequest, MessageReader } from '../../kernel/net/http1.ts';
import { tcpOf } from '../../kernel/net/tcp.ts';
import type { Host } from '../../kernel/host.ts';
import { SIGTERM, SIGWINCH } from '../../kernel/process/signal.ts';
import { bootHost, psLines, runContainer } from '../testing.ts';
import { runCostNs, runPhp, REQUEST_NS } from './zend.ts';

/** The image's configuration, modules and page, on the host's own disk; the host name resolving to a pod IP. */
function phpApacheFiles(host: Host): void {
  const vfs = host.vfsFor(host.init);
  vfs.mkdirAll('/etc/apache2/mods-available');
  vfs.mkdirAll('/etc/apache2/mods-enabled');
  vfs.writeFile('/etc/apache2/apache2.conf', PHP_APACHE2_CONF);
  vfs.writeFile('/etc/apache2/mods-available/mpm_prefork.load', 'LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so\n');
  vfs.writeFile('/etc/apache2/mods-available/mpm_prefork.conf', MPM_PREFORK_CONF);
  vfs.writeFile('/etc/apache2/mods-available/php5.load', 'LoadModule php5_module /usr/lib/apache2/modules/libphp5.so\n');
  vfs.writeFile('/etc/apache2/mods-available/deflate.load', 'LoadModule deflate_module /usr/lib/apache2/modules/mod_deflate.so\n');
  for (const f of ['mpm_prefork.load', 'mpm_prefork.conf', 'php5.load', 'deflate.load']) vfs.symlink(`../mods-available/${f}`, `/etc/apache2/mods-enabled/${f}`);
  vfs.mkdirAll('/var/run/apache2');
  vfs.mkdirAll('/var/www/html');
  vfs.writeFile('/var/www/html/index.php', HPA_EXAMPLE_INDEX_PHP);
  vfs.writeFile('/etc/hosts', '127.0.0.1\tlocalhost\n10.244.1.5\tnode-1\n');
}

const STARTUP =
  "AH00558: apache2: Could not reliably determine the server's fully qualified domain name, using 10.244.1.5. Set the 'ServerName' directive globally to suppress this message\n".repeat(2) +
  '[Thu Jan 01 00:00:00.000000 2026] [mpm_prefork:notice] [pid 1] AH00163: Apache/2.4.10 (Debian) PHP/5.6.18 configured -- resuming normal operations\n' +
  "[Thu Jan 01 00:00:00.000000 2026] [core:notice] [pid 1] AH00094: Command line: 'apache2 -D FOREGROUND'\n";

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A request as busybox wget sends it; resolves with the raw response and the virtual time it arrived. */
async function wget(host: Host, path = '/'): Promise<{ text: string; at: number }> {
  const socket = await tcpOf(host).connect(host.init.nsproxy!.net, { address: '127.0.0.1', port: 80 });
  const reader = new MessageReader('response');
  let result: { text: string; at: number } | undefined;
  socket.receive({
    data: (d) => reader.push(d).forEach((m) => (result = { text: `${m.start.join(' ')}\n${m.headers.map(([n, v]) => `${n}: ${v}`).join('\n')}\n\n${m.body}`, at: host.clock.now() })),
  });
  socket.write(formatRequest({ method: 'GET', target: path, version: 'HTTP/1.1', headers: [['Host', 'php-apache'], ['User-Agent', 'Wget'], ['Connection', 'close']], body: '' }));
  for (let i = 0; i < 1000 && !result; i++) {
    host.clock.advance(1);
    await yieldToHost();
  }
  if (!result) throw new Error('no response within 1 s');
  return result;
}

describe('apache2 (php:5-apache)', () => {
  it('starts a root parent and five www-data children, printing the image\'s startup lines', () => {
    const host = bootHost(2);
    phpApacheFiles(host);
    const ctr = runContainer(host, ['apache2', '-DFOREGROUND']);
    expect(ctr.stdio.err).toBe(STARTUP);
    expect(psLines(host, ctr)).toEqual(['1 S apache2 -DFOREGROUND', ...[2, 3, 4, 5, 6].map((p) => `${p} S apache2 -DFOREGROUND`)]);
    const [parent, ...children] = host.table.list(ctr.process.pidNs);
    expect(parent!.cred.uid).toBe(0);
    expect(children.map((c) => c.cred.uid)).toEqual([33, 33, 33, 33, 33]);
    expect(host.vfsFor(host.init).readFile('/var/run/apache2/apache2.pid')).toBe('1\n');
  });

  it('answers index.php with OK! after burning the loop\'s CPU, and logs the combined line', async () => {
    const host = bootHost(2);
    phpApacheFiles(host);
    const ctr = runContainer(host, ['apache2', '-DFOREGROUND']);
    const costMs = (REQUEST_NS + runCostNs(runPhp(HPA_EXAMPLE_INDEX_PHP, '/var/www/html/index.php'))) / 1e6;
    expect(costMs).toBeCloseTo(76.15, 2);
    const sent = host.clock.now();
    const { text, at } = await wget(host);
    expect(text).toBe(
      'HTTP/1.1 200 OK\nDate: Thu, 01 Jan 2026 00:00:00 GMT\nServer: Apache/2.4.10 (Debian) PHP/5.6.18\nX-Powered-By: PHP/5.6.18\nVary: Accept-Encoding\nContent-Length: 3\nConnection: close\nContent-Type: text/html; charset=UTF-8\n\nOK!',
    );
    // Unthrottled, the answer comes when the CPU time is spent (on a scheduler that is not exact to the µs).
    expect(at - sent).toBeGreaterThanOrEqual(76);
    expect(at - sent).toBeLessThan(80);
    const usage = Number(/usage_usec (\d+)/.exec(host.vfsFor(host.init).readFile('/sys/fs/cgroup/ctr/cpu.stat'))![1]);
    expect(usage / 1000).toBeCloseTo(costMs, 0);
    expect(ctr.stdio.out).toBe('127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 229 "-" "Wget"\n');
    const missing = await wget(host, '/nope.html');
    expect(missing.text).toContain('HTTP/1.1 404 Not Found\n');
    expect(missing.text).toContain('<p>The requested URL /nope.html was not found on this server.</p>\n<hr>\n<address>Apache/2.4.10 (Debian) PHP/5.6.18 Server at php-apache Port 80</address>');
  });

  it('is throttled by a 500m cpu.max: the request waits for the next periods', async () => {
    const host = bootHost(2);
    phpApacheFiles(host);
    runContainer(host, ['apache2', '-DFOREGROUND'], { cgroupFiles: { 'cpu.max': '50000 100000' } });
    host.clock.advance(100 - (host.clock.now() % 100));
    const sent = host.clock.now();
    const { text, at } = await wget(host);
    expect(text.endsWith('\n\nOK!')).toBe(true);
    // 50 ms of the first period, throttled for its other 50, then the last 26 ms: 126 ms for 76 ms of CPU.
    expect(at - sent).toBeGreaterThanOrEqual(126);
    expect(at - sent).toBeLessThan(130);
    const stat = host.vfsFor(host.init).readFile('/sys/fs/cgroup/ctr/cpu.stat');
    expect(Number(/nr_throttled (\d+)/.exec(stat)![1])).toBeGreaterThanOrEqual(1);
  });

  it('stops at once on SIGTERM and gracefully on SIGWINCH, finishing the request in flight', async () => {
    const host = bootHost(2);
    phpApacheFiles(host);
    const now = runContainer(host, ['apache2', '-DFOREGROUND']);
    host.table.kill(host.init, now.process.hostPid, SIGTERM);
    expect(now.stdio.err.slice(STARTUP.length)).toBe('[Thu Jan 01 00:00:00.000000 2026] [mpm_prefork:notice] [pid 1] AH00169: caught SIGTERM, shutting down\n');
    expect(now.process.exitStatus).toBe(0);
    expect(() => host.vfsFor(host.init).readFile('/var/run/apache2/apache2.pid')).toThrow();

    const graceful = runContainer(host, ['apache2', '-DFOREGROUND'], { name: 'graceful' });
    const reply = wget(host);
    host.clock.advance(10);
    await yieldToHost();
    host.table.kill(host.init, graceful.process.hostPid, SIGWINCH);
    expect(graceful.stdio.err.slice(STARTUP.length)).toMatch(/^\[Thu Jan 01 00:00:00\.0\d{2}000 2026\] \[mpm_prefork:notice\] \[pid 1\] AH00170: caught SIGWINCH, shutting down gracefully\n$/);
    expect(graceful.process.exitStatus).toBeUndefined();
    expect((await reply).text.endsWith('\n\nOK!')).toBe(true);
    expect(graceful.process.exitStatus).toBe(0);
    await expect(tcpOf(host).connect(host.init.nsproxy!.net, { address: '127.0.0.1', port: 80 })).rejects.toThrow('Connection refused');
  });

  it('answers -v and -t, and fails when its port is taken', () => {
    const host = bootHost(1);
    phpApacheFiles(host);
    expect(runContainer(host, ['apache2', '-v'], { name: 'v' }).stdio.out).toBe('Server version: Apache/2.4.10 (Debian)\nServer built:   Nov 28 2015 14:05:39\n');
    expect(runContainer(host, ['apache2', '-t'], { name: 't' }).stdio.err).toMatch(/AH00558: .*\nSyntax OK\n$/);
    runContainer(host, ['apache2', '-DFOREGROUND']);
    const second = runContainer(host, ['apache2', '-DFOREGROUND'], { name: 'second' });
    expect(second.stdio.err.endsWith('(98)Address already in use: AH00072: make_sock: could not bind to address 0.0.0.0:80\nno listening sockets available, shutting down\nAH00015: Unable to open logs\n')).toBe(true);
    expect(second.process.exitStatus).toBe(1 << 8);
  });
});

describe('php (CLI)', () => {
  it('runs -r code and a script file, burning its CPU time before it prints', () => {
    const host = bootHost(1);
    phpApacheFiles(host);
    expect(runContainer(host, ['php', '-r', 'echo sqrt(16) + 0.5, PHP_EOL;'], { name: 'r' }).stdio.out).toBe('');
    host.clock.advance(1);
    const script = runContainer(host, ['php', '/var/www/html/index.php'], { name: 'script' });
    host.clock.advance(70);
    expect(script.stdio.out).toBe('');
    host.clock.advance(10);
    expect(script.stdio.out).toBe('OK!');
    expect(script.process.exitStatus).toBe(0);
    const bad = runContainer(host, ['php', '-r', 'echo 1 }'], { name: 'bad' });
    host.clock.advance(1);
    expect(bad.stdio.out).toBe("\nParse error: syntax error, unexpected '}' in Command line code on line 1\n");
    expect(bad.stdio.err).toBe("PHP Parse error:  syntax error, unexpected '}' in Command line code on line 1\n");
    expect(bad.process.exitStatus).toBe(255 << 8);
  });
});

describe('the Zend Engine subset', () => {
  it.each([
    ['<?php echo 0.1 + 0.2;', '0.3'],
    ['<?php echo 1e20, " ", 7 / 2, " ", 10 % 3, " ", 2 ** 10;', '1.0E+20 3.5 1 1024'],
    // `.` and `+` share a precedence in PHP 5: ("x" . 1) + 2.
    ['<p><?= "x" . 1 + 2 ?></p>\n', '<p>2</p>\n'],
    ['<?php $n = 0; while ($n < 3) { $n++; } if ($n === 3) { echo "three"; } else { echo "no"; }', 'three'],
    ['<?php $s = "a"; $s .= \'b\\n\'; echo "$s!", strlen($s);', 'ab\\n!4'],
    ['<?php echo foo();', ''],
  ])('%s → %s', (source, output) => {
    expect(runPhp(source, '/t.php').output).toBe(output);
  });

  it('counts 9 opcodes and one internal call per iteration of hpa-example\'s loop', () => {
    const run = runPhp(HPA_EXAMPLE_INDEX_PHP, '/var/www/html/index.php');
    expect(run).toEqual({ output: 'OK!', opcodes: 9_000_014, calls: 1_000_001 });
  });
});
