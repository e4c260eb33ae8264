import { describe, expect, it } from 'vitest';
import { netfilterOf } from '../../../kernel/net/netfilter/index.ts';
import { scriptRunner } from '../../../testing/hostScripts.ts';
import { formatDate } from '../date.ts';
import { bootNode, type Node } from '../util-linux/testing.ts';
import { xtables } from './iptables.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** kube-proxy's nat rules for a ClusterIP Service with two endpoints. */
const RULES = `*nat
:KUBE-SERVICES - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVC-LOLE4ISW44XBNF3G - [0:0]
:KUBE-SEP-AAAAAAAAAAAAAAAA - [0:0]
:KUBE-SEP-BBBBBBBBBBBBBBBB - [0:0]
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.100.10 --dport 80 -j KUBE-SVC-LOLE4ISW44XBNF3G
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.100.10 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web:http -> 10.244.1.2:8080" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-AAAAAAAAAAAAAAAA
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web:http -> 10.244.2.3:8080" -j KUBE-SEP-BBBBBBBBBBBBBBBB
-A KUBE-SEP-AAAAAAAAAAAAAAAA -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:8080
-A KUBE-SEP-BBBBBBBBBBBBBBBB -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.2.3:8080
COMMIT
`;

async function withRules(): Promise<Node> {
  const node = bootNode(tick);
  const restored = await node.run(xtables('iptables-restore'), 'iptables-restore --noflush -w 5 -W 100000', { stdin: RULES });
  expect(restored).toMatchObject({ status: 0, stderr: '' });
  const jumped = await node.run(xtables('iptables'), 'iptables -t nat -I OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  expect(jumped).toMatchObject({ status: 0, stderr: '' });
  return node;
}

const iptables = xtables('iptables');

describe('iptables -L', () => {
  it('lists a chain with -n as iptables 1.8.9 lays it out', async () => {
    const node = await withRules();
    const { stdout, status } = await node.run(iptables, 'iptables -t nat -L KUBE-SVC-LOLE4ISW44XBNF3G -n');
    expect(status).toBe(0);
    expect(stdout).toBe(
      'Chain KUBE-SVC-LOLE4ISW44XBNF3G (1 references)\n' +
        'target     prot opt source               destination         \n' +
        'KUBE-MARK-MASQ  tcp  -- !10.244.0.0/16        10.96.100.10         /* default/web:http cluster IP */ tcp dpt:80\n' +
        'KUBE-SEP-AAAAAAAAAAAAAAAA  all  --  0.0.0.0/0            0.0.0.0/0            /* default/web:http -> 10.244.1.2:8080 */ statistic mode random probability 0.50000000000\n' +
        'KUBE-SEP-BBBBBBBBBBBBBBBB  all  --  0.0.0.0/0            0.0.0.0/0            /* default/web:http -> 10.244.2.3:8080 */\n',
    );
  });

  it('lists -v counters, interfaces and targets\' own texts, with line numbers', async () => {
    const node = await withRules();
    const net = node.host.init.nsproxy!.net;
    const packet = { protocol: 'tcp' as const, source: '10.0.2.15', sport: 40000, destination: '10.96.100.10', dport: 80, isLocal: () => false };
    netfilterOf(net).evaluate('nat', 'OUTPUT', packet, () => 0.9);
    const { stdout } = await node.run(iptables, 'iptables -t nat -nvL --line-numbers');
    expect(stdout).toContain(
      'Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)\n' +
        'num   pkts bytes target     prot opt in     out     source               destination         \n' +
        '1        1    60 KUBE-SERVICES  all  --  *      *       0.0.0.0/0            0.0.0.0/0            /* kubernetes service portals */\n\n',
    );
    expect(stdout).toContain('Chain KUBE-MARK-MASQ (1 references)\nnum   pkts bytes target     prot opt in     out     source               destination         \n1        1    60 MARK       all  --  *      *       0.0.0.0/0            0.0.0.0/0            MARK or 0x4000\n');
    expect(stdout).toContain('1        1    60 DNAT       tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            /* default/web:http */ tcp to:10.244.2.3:8080\n');
    expect(stdout.endsWith('\n\n')).toBe(false);
  });

  it('says "anywhere" and names ports from /etc/services without -n', async () => {
    const node = bootNode(tick);
    node.host.vfsFor(node.host.init).writeFile('/etc/services', 'http\t\t80/tcp\t\twww\nssh\t\t22/tcp\n');
    await node.run(iptables, 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT');
    await node.run(iptables, 'iptables -A INPUT -s 10.0.0.0/8 -p tcp -m multiport --dports 80,8080:8090 -j DROP');
    const { stdout } = await node.run(iptables, 'iptables -L INPUT');
    expect(stdout).toBe(
      'Chain INPUT (policy ACCEPT)\n' +
        'target     prot opt source               destination         \n' +
        'ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:ssh\n' +
        'DROP       tcp  --  10.0.0.0/8           anywhere             multiport dports http,8080:8090\n',
    );
  });

  it('lists the built-in chains of a table nothing created', async () => {
    const { stdout } = await bootNode(tick).run(iptables, 'iptables -L -n');
    expect(stdout).toBe(
      'Chain INPUT (policy ACCEPT)\ntarget     prot opt source               destination         \n\n' +
        'Chain FORWARD (policy ACCEPT)\ntarget     prot opt source               destination         \n\n' +
        'Chain OUTPUT (policy ACCEPT)\ntarget     prot opt source               destination         \n',
    );
  });
});

describe('iptables -S and iptables-save', () => {
  it('prints rules as commands', async () => {
    const node = await withRules();
    const { stdout } = await node.run(iptables, 'iptables -t nat -S KUBE-SEP-AAAAAAAAAAAAAAAA');
    expect(stdout).toBe('-N KUBE-SEP-AAAAAAAAAAAAAAAA\n-A KUBE-SEP-AAAAAAAAAAAAAAAA -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.1.2:8080\n');
    const all = await node.run(iptables, 'iptables -S');
    expect(all.stdout).toBe('-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n');
  });

  it('stamps iptables-save with the host clock and takes -t', async () => {
    const node = await withRules();
    const { stdout } = await node.run(xtables('iptables-save'), 'iptables-save -t nat');
    const stamp = formatDate(node.host.clock.now(), '%a %b %e %H:%M:%S %Y');
    expect(stdout.startsWith(`# Generated by iptables-save v1.8.9 (nf_tables) on ${stamp}\n*nat\n:PREROUTING ACCEPT [0:0]\n`)).toBe(true);
    expect(stdout).toContain('-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n');
    expect(stdout.endsWith(`COMMIT\n# Completed on ${stamp}\n`)).toBe(true);
    expect((await node.run(xtables('iptables-save'), 'iptables-save -t filter')).stdout).toBe('');
  });

  it('restores from a file and round-trips through iptables-save', async () => {
    const node = await withRules();
    const saved = (await node.run(xtables('iptables-save'), 'iptables-save')).stdout;
    node.host.vfsFor(node.host.init).writeFile('/root/rules.v4', saved);
    const other = bootNode(tick);
    other.host.vfsFor(other.host.init).writeFile('/root/rules.v4', saved);
    expect((await other.run(xtables('iptables-restore'), 'iptables-restore /root/rules.v4')).status).toBe(0);
    expect((await other.run(xtables('iptables-save'), 'iptables-save')).stdout.replace(/on .*\n/g, '\n')).toBe(saved.replace(/on .*\n/g, '\n'));
  });
});

describe('iptables changes and their errors', () => {
  it('appends, checks, inserts and deletes rules', async () => {
    const node = bootNode(tick);
    expect((await node.run(iptables, 'iptables -N foo')).status).toBe(0);
    expect((await node.run(iptables, 'iptables -A foo -s 10.1.2.3 -j RETURN')).status).toBe(0);
    expect((await node.run(iptables, 'iptables -I foo -p udp --sport 53 -j ACCEPT')).status).toBe(0);
    expect((await node.run(iptables, 'iptables -C foo -s 10.1.2.3/32 -j RETURN')).status).toBe(0);
    expect((await node.run(iptables, 'iptables -S foo')).stdout).toBe('-N foo\n-A foo -p udp -m udp --sport 53 -j ACCEPT\n-A foo -s 10.1.2.3/32 -j RETURN\n');
    expect((await node.run(iptables, 'iptables -D foo 1')).status).toBe(0);
    expect((await node.run(iptables, 'iptables -D foo -s 10.1.2.3 -j RETURN')).status).toBe(0);
    expect((await node.run(iptables, 'iptables -X foo')).status).toBe(0);
    expect((await node.run(iptables, 'iptables -S')).stdout).toBe('-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n');
  });

  it('lists then zeroes with -L -Z in either order, and leaves tables it only read out of iptables-save', async () => {
    const node = await withRules();
    const net = node.host.init.nsproxy!.net;
    const packet = { protocol: 'tcp' as const, source: '10.244.1.5', sport: 40000, destination: '10.96.100.10', dport: 80, isLocal: () => false };
    netfilterOf(net).evaluate('nat', 'OUTPUT', packet, () => 0.1);
    const first = await node.run(iptables, 'iptables -t nat -Z -L OUTPUT -v -n');
    expect(first.stdout).toContain('    1    60 KUBE-SERVICES');
    const second = await node.run(iptables, 'iptables -t nat -L OUTPUT -v -n -Z');
    expect(second.stdout).toContain('    0     0 KUBE-SERVICES');
    await node.run(iptables, 'iptables -L -n');
    await node.run(iptables, 'iptables -F');
    expect((await node.run(xtables('iptables-save'), 'iptables-save')).stdout).not.toContain('*filter');
    await node.run(xtables('iptables-legacy'), 'iptables-legacy -L -n');
    expect((await node.run(xtables('iptables-legacy-save'), 'iptables-legacy-save')).stdout).toContain('*filter\n:INPUT ACCEPT [0:0]\n');
  });

  it('echoes the rule with -v', async () => {
    const { stdout } = await bootNode(tick).run(iptables, 'iptables -v -A FORWARD -i eth2 -o eth3 -s 10.0.0.1 -d 10.0.0.2 -j ACCEPT');
    expect(stdout).toBe('ACCEPT  all opt -- in eth2 out eth3  10.0.0.1  -> 10.0.0.2  \n');
  });

  it.each([
    ['iptables -A noexist -j ACCEPT', 'iptables: No chain/target/match by that name.\n', 1],
    ['iptables -C FORWARD -j ACCEPT', 'iptables: Bad rule (does a matching rule exist in that chain?).\n', 1],
    ['iptables -C nonexist -j ACCEPT', 'iptables: Bad rule (does a matching rule exist in that chain?).\n', 1],
    ['iptables -I INPUT 23 -j ACCEPT', 'iptables: Index of insertion too big.\n', 1],
    ['iptables -D INPUT 23', 'iptables: Index of deletion too big.\n', 1],
    ['iptables -R INPUT 23 -j ACCEPT', 'iptables: Index of replacement too big.\n', 1],
    ['iptables -L nonexist', 'iptables: No chain/target/match by that name.\n', 1],
    ['iptables -N INPUT', 'iptables: Chain already exists.\n', 1],
    ['iptables -A INPUT -m foobar -j ACCEPT', "iptables v1.8.9 (nf_tables): Couldn't load match `foobar':No such file or directory\n\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
    ['iptables -A INPUT -j foobar', "iptables v1.8.9 (nf_tables): Chain 'foobar' does not exist\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
    ['iptables -A INPUT --dport 80 -j ACCEPT', 'iptables v1.8.9 (nf_tables): unknown option "--dport"\nTry `iptables -h\' or \'iptables --help\' for more information.\n', 2],
    ['iptables -A INPUT -s 10.0.0.300 -j ACCEPT', "iptables v1.8.9 (nf_tables): host/network `10.0.0.300' not found\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
    ['iptables -L -n -s 1.2.3.4', "iptables v1.8.9 (nf_tables): Illegal option `-s' with this command\n\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
    ['iptables -t foobar -L', 'iptables v1.8.9 (nf_tables): table \'foobar\' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n', 3],
    ['iptables -n', "iptables v1.8.9 (nf_tables): no command specified\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
    ['iptables -P INPUT FOO', 'iptables: Bad policy name.\n', 1],
  ])('%s', async (line, stderr, status) => {
    const result = await bootNode(tick).run(iptables, line);
    expect(result.stderr).toBe(stderr);
    expect(result.status).toBe(status);
  });

  it('refuses a user without CAP_NET_ADMIN', async () => {
    const node = bootNode(tick);
    const user = node.spawn({ uid: 1000 });
    const nft = await node.run(iptables, 'iptables -L', { process: user });
    expect(nft.stderr).toBe('iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n');
    expect(nft.status).toBe(4);
    const legacy = await node.run(xtables('iptables-legacy'), 'iptables-legacy -L', { process: node.spawn({ uid: 1000 }) });
    expect(legacy.status).toBe(3);
    expect((await node.run(iptables, 'iptables --version', { process: node.spawn({ uid: 1000 }) })).stdout).toBe('iptables v1.8.9 (nf_tables)\n');
  });

  it('fails iptables-restore in its words and keeps the rules', async () => {
    const node = await withRules();
    const before = (await node.run(xtables('iptables-save'), 'iptables-save')).stdout;
    const result = await node.run(xtables('iptables-restore'), 'iptables-restore --noflush', { stdin: '*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -j KUBE-NOPE\nCOMMIT\n' });
    expect(result.stderr).toBe("iptables-restore v1.8.9 (nf_tables): Chain 'KUBE-NOPE' does not exist\nError occurred at line: 3\nTry `iptables-restore -h' or 'iptables-restore --help' for more information.\n");
    expect(result.status).toBe(2);
    expect((await node.run(xtables('iptables-save'), 'iptables-save')).stdout).toBe(before);
    const missing = await node.run(xtables('iptables-restore'), 'iptables-restore /nope');
    expect(missing).toMatchObject({ stderr: "Can't open /nope: No such file or directory\n", status: 1 });
  });
});

describe('the names of the iptables binaries', () => {
  it('keeps legacy rules apart and versions them as legacy', async () => {
    const node = bootNode(tick);
    expect((await node.run(xtables('xtables-legacy-multi'), 'xtables-legacy-multi iptables -t nat -N LEGACY')).status).toBe(0);
    expect((await node.run(xtables('iptables-legacy'), 'iptables-legacy -t nat -S LEGACY')).stdout).toBe('-N LEGACY\n');
    expect((await node.run(iptables, 'iptables -t nat -S LEGACY')).stderr).toBe('iptables: No chain/target/match by that name.\n');
    expect((await node.run(xtables('iptables-legacy'), 'iptables-legacy -V')).stdout).toBe('iptables v1.8.9 (legacy)\n');
    const saved = (await node.run(xtables('iptables-legacy-save'), 'iptables-legacy-save')).stdout;
    expect(saved).toMatch(/^# Generated by iptables-legacy-save v1\.8\.9 on /);
    expect((await node.run(xtables('xtables-nft-multi'), 'xtables-nft-multi ip6tables -V')).stdout).toBe('ip6tables v1.8.9 (nf_tables)\n');
    const none = await node.run(xtables('xtables-nft-multi'), 'xtables-nft-multi');
    expect(none.stderr.startsWith('ERROR: No valid subcommand given.\nValid subcommands:\n * iptables\n')).toBe(true);
    expect(none.status).toBe(1);
  });

  it('lists ip6tables chains with IPv6 addresses', async () => {
    const node = bootNode(tick);
    await node.run(xtables('ip6tables'), 'ip6tables -A INPUT -p tcp -j ACCEPT');
    expect((await node.run(xtables('ip6tables'), 'ip6tables -n -L INPUT')).stdout).toBe('Chain INPUT (policy ACCEPT)\ntarget     prot opt source               destination         \nACCEPT     tcp  --  ::/0                 ::/0                \n');
    expect((await node.run(iptables, 'iptables -S INPUT')).stdout).toBe('-P INPUT ACCEPT\n');
  });

  it('settles kube-proxy\'s iptables-wrapper on nft mode, silently', async () => {
    const node = bootNode(tick);
    const vfs = node.host.vfsFor(node.host.init);
    vfs.mkdir('/image', 0o755);
    for (const name of ['iptables', 'iptables-save', 'iptables-restore', 'ip6tables', 'ip6tables-save', 'ip6tables-restore']) vfs.symlink('iptables-wrapper', `/image/${name}`);
    const proc = node.spawn();
    proc.exe = '/image/iptables-wrapper';
    const result = await node.run(iptables, 'iptables-restore --noflush', { process: proc, stdin: RULES });
    expect(result).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(vfs.readlink('/image/iptables')).toBe('xtables-nft-multi');
    expect(vfs.readlink('/image/ip6tables-restore')).toBe('xtables-nft-multi');
    expect((await node.run(iptables, 'iptables -t nat -S KUBE-MARK-MASQ')).stdout).toBe('-N KUBE-MARK-MASQ\n-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n');
  });

  it('runs from the kube-proxy image\'s binaries: the wrapper, then the nft multi-call binary its links now name', async () => {
    const node = bootNode(tick);
    const vfs = node.host.vfsFor(node.host.init);
    for (const dir of ['/image', '/image/usr', '/image/usr/sbin']) vfs.mkdir(dir, 0o755);
    node.host.installProgram('/image/usr/sbin/iptables-wrapper', 'iptables-wrapper', 2_100_000);
    node.host.installProgram('/image/usr/sbin/xtables-nft-multi', 'iptables', 227_000);
    for (const name of ['iptables', 'iptables-save', 'iptables-restore', 'ip6tables', 'ip6tables-save', 'ip6tables-restore']) vfs.symlink('iptables-wrapper', `/image/usr/sbin/${name}`);
    vfs.symlink('xtables-nft-multi', '/image/usr/sbin/iptables-nft-save');
    vfs.writeFile('/root/rules', RULES);
    const run = scriptRunner(node.shell, node.host.clock);
    const first = await run('/image/usr/sbin/iptables-restore --noflush --counters < /root/rules; echo "status $?"; readlink /image/usr/sbin/iptables');
    expect(first.stdout).toBe('status 0\nxtables-nft-multi\n');
    const listed = await run('/image/usr/sbin/iptables -t nat -S KUBE-MARK-MASQ; /image/usr/sbin/iptables-nft-save -t nat | head -2 | tail -1');
    expect(listed.stdout).toBe('-N KUBE-MARK-MASQ\n-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n*nat\n');
  });
});
