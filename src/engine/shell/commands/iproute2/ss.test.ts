import { describe, expect, it } from 'vitest';
import { bootNode } from '../util-linux/testing.ts';
import { renderColumns, ss } from './ss.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A node whose process `python3` listens on 0.0.0.0:80 and 127.0.0.1:6379 and is connected to both. */
async function lab() {
  const node = bootNode(tick);
  const owner = node.spawn();
  owner.comm = 'python3';
  const tcp = node.host.tcp;
  tcp.listen(owner, '0.0.0.0', 80, () => undefined);
  tcp.listen(owner, '127.0.0.1', 6379, () => undefined, 128);
  const net = owner.nsproxy!.net;
  await tcp.connect(net, { address: '127.0.0.1', port: 6379 }, { owner });
  await tcp.connect(net, { address: '127.0.0.1', port: 80 }, { owner });
  return { node, pid: owner.hostPid };
}

describe('ss', () => {
  it('lays columns out as ss 6.1 does when piped (rows as the real ss printed them)', () => {
    const row = (state: string, send: string, local: string, lport: string, peer: string, pport: string, proc = '') => [undefined, state, '0     ', send.padEnd(6), local, lport, peer, pport, proc, ''];
    expect(
      renderColumns([
        [undefined, 'State', 'Recv-Q', 'Send-Q', 'Local Address:', 'Port', 'Peer Address:', 'Port', 'Process', ''],
        row('LISTEN', '511', '127.0.0.1:', '6379', '0.0.0.0:', '*', ' users:(("python3",pid=29478,fd=4))'),
        row('LISTEN', '128', '0.0.0.0:', '2024', '0.0.0.0:', '*'),
      ]),
    ).toBe(
      'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess                            \n' +
        'LISTEN 0      511        127.0.0.1:6379      0.0.0.0:*    users:(("python3",pid=29478,fd=4))\n' +
        'LISTEN 0      128          0.0.0.0:2024      0.0.0.0:*                                      \n',
    );
  });

  it('ss -tlnp, -tln, -ta, -t, -tH, -atu and -s over the caller’s namespace', async () => {
    const { node, pid } = await lab();
    const run = async (line: string) => (await node.run(ss, line)).stdout;
    const p = (fd: number) => ` users:(("python3",pid=${pid},fd=${fd}))`;
    const w = p(3).length;
    expect(await run('ss -tlnp')).toBe(
      `State  Recv-Q Send-Q Local Address:Port Peer Address:Port${'Process'.padEnd(w)}\n` +
        `LISTEN 0      511          0.0.0.0:80        0.0.0.0:*   ${p(3)}\n` +
        `LISTEN 0      128        127.0.0.1:6379      0.0.0.0:*   ${p(4)}\n`,
    );
    expect(await run('ss -tln')).toBe(
      'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n' +
        'LISTEN 0      511          0.0.0.0:80        0.0.0.0:*          \n' +
        'LISTEN 0      128        127.0.0.1:6379      0.0.0.0:*          \n',
    );
    expect(await run('ss -ta')).toBe(
      'State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process\n' +
        'LISTEN 0      511          0.0.0.0:80         0.0.0.0:*           \n' +
        'LISTEN 0      128        127.0.0.1:6379       0.0.0.0:*           \n' +
        'ESTAB  0      0          127.0.0.1:32768    127.0.0.1:6379        \n' +
        'ESTAB  0      0          127.0.0.1:6379     127.0.0.1:32768       \n' +
        'ESTAB  0      0          127.0.0.1:32769    127.0.0.1:80          \n' +
        'ESTAB  0      0          127.0.0.1:80       127.0.0.1:32769       \n',
    );
    expect(await run('ss -tH')).toBe(
      'ESTAB 0      0      127.0.0.1:32768 127.0.0.1:6379 \n' +
        'ESTAB 0      0      127.0.0.1:6379  127.0.0.1:32768\n' +
        'ESTAB 0      0      127.0.0.1:32769 127.0.0.1:80   \n' +
        'ESTAB 0      0      127.0.0.1:80    127.0.0.1:32769\n',
    );
    expect(await run('ss -t -6')).toBe('State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n');
    expect((await run('ss -ltu')).split('\n').slice(0, 2)).toEqual([
      'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
      'tcp   LISTEN 0      511          0.0.0.0:80        0.0.0.0:*          ',
    ]);
    expect(await run('ss -s')).toBe(
      'Total: 6\nTCP:   6 (estab 4, closed 0, orphaned 0, timewait 0)\n\nTransport Total     IP        IPv6\n' +
        'RAW\t  0         0         0        \nUDP\t  0         0         0        \nTCP\t  6         6         0        \n' +
        'INET\t  6         6         0        \nFRAG\t  0         0         0        \n\n',
    );
  });

  it('names ports from /etc/services, shows no process it may not see, and answers -V and bad options', async () => {
    const { node } = await lab();
    node.host.vfsFor(node.host.init).writeFile('/etc/services', 'tcpmux\t\t1/tcp\nhttp\t\t80/tcp\t\twww\nredis\t\t6379/tcp\n');
    const other = node.spawn({ uid: 1000 });
    const listing = await node.run(ss, 'ss -tlp', { process: other });
    expect(listing.stdout).toBe(
      'State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n' +
        'LISTEN 0      511          0.0.0.0:http       0.0.0.0:*          \n' +
        'LISTEN 0      128        127.0.0.1:redis      0.0.0.0:*          \n',
    );
    expect((await node.run(ss, 'ss -V')).stdout).toBe('ss utility, iproute2-6.1.0\n');
    const bad = await node.run(ss, 'ss -Q');
    expect([bad.status, bad.stderr.split('\n')[0], bad.stderr.split('\n')[1]]).toEqual([255, "ss: invalid option -- 'Q'", 'Usage: ss [ OPTIONS ]']);
  });
});
