import { describe, expect, it } from 'vitest';
import { bootShellHost, runIn } from '../../../shell/host/testing.ts';
import { RCODE, TYPE, decodeMessage, encodeMessage } from '../../coredns/dnsMessage.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A host with busybox at /opt/busybox, a resolv.conf like a pod's, and (unless `dns` is false) a
 * nameserver on 127.0.0.1:53 that knows web.default.svc.cluster.local (A only) and nothing else.
 */
async function run(script: string, options: { dns?: boolean; resolvConf?: string } = {}) {
  const { clock, shell, host } = bootShellHost('box');
  const vfs = host.vfsFor(host.init);
  host.installProgram('/opt/busybox', 'busybox');
  vfs.writeFile('/etc/resolv.conf', options.resolvConf ?? 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 127.0.0.1\noptions ndots:5\n');
  if (options.dns ?? true) {
    const socket = host.udp.socket(host.init.nsproxy!.net);
    socket.bind('127.0.0.1', 53);
    const serve = (): void => {
      void socket.recv().then(({ data, from }) => {
        const q = decodeMessage(data);
        const name = q.questions[0]!.name;
        const known = name === 'web.default.svc.cluster.local.';
        const answers = known && q.questions[0]!.type === TYPE.A ? [{ name, type: TYPE.A, class: 1, ttl: 30, data: { kind: 'A' as const, address: '10.96.0.80' } }] : [];
        socket.send(encodeMessage({ ...q, flags: { ...q.flags, qr: true, aa: true, rcode: known ? RCODE.NOERROR : RCODE.NXDOMAIN }, answers }), from);
        serve();
      });
    };
    serve();
  }
  return runIn(shell.openSession({ id: '1', tty: false }), clock, script, tick);
}

const HEADER = 'Server:\t\t127.0.0.1\nAddress:\t127.0.0.1:53\n\n';

describe('busybox nslookup', () => {
  it('asks every search domain for a name without a dot, A then AAAA, printing each reply as it comes', async () => {
    const result = await run('/opt/busybox nslookup web');
    expect(result.stdout).toBe(
      HEADER +
        'Name:\tweb.default.svc.cluster.local\nAddress: 10.96.0.80\n\n' +
        "** server can't find web.svc.cluster.local: NXDOMAIN\n\n" +
        "** server can't find web.cluster.local: NXDOMAIN\n\n" +
        "*** Can't find web.default.svc.cluster.local: No answer\n\n" +
        "** server can't find web.svc.cluster.local: NXDOMAIN\n\n" +
        "** server can't find web.cluster.local: NXDOMAIN\n\n",
    );
    expect(result.status).toBe(1);
  });

  it('asks a dotted name only as it is, and reads no resolv.conf search with a server given', async () => {
    expect(await run('/opt/busybox nslookup -type=a web.default.svc.cluster.local')).toEqual({ stdout: `${HEADER}Name:\tweb.default.svc.cluster.local\nAddress: 10.96.0.80\n\n`, stderr: '', status: 0 });
    expect((await run('/opt/busybox nslookup -type=a web 127.0.0.1')).stdout).toBe(`${HEADER}** server can't find web: NXDOMAIN\n\n`);
  });

  it('reports a closed port on every read and no server after the timeout', async () => {
    const result = await run('/opt/busybox nslookup web', { dns: false });
    expect(result).toEqual({ stdout: ';; connection timed out; no servers could be reached\n\n', stderr: 'nslookup: read: Connection refused\nnslookup: read: Connection refused\n', status: 1 });
  });

  it.each([
    ['/opt/busybox nslookup', 'Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]'],
    ['/opt/busybox nslookup -bogus web', 'Usage: nslookup'],
    ['/opt/busybox nslookup web a b', 'Usage: nslookup'],
    ['/opt/busybox nslookup -type=xyz web', 'nslookup: invalid query type "xyz"\n'],
    ['/opt/busybox nslookup -timeout=0 web', "nslookup: number 0 is not in 1..2147483 range\n"],
  ])('%s fails as busybox does', async (script, stderr) => {
    const result = await run(script);
    expect(result.stderr).toContain(stderr);
    expect(result.status).toBe(1);
  });
});
