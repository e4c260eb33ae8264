import { describe, expect, it } from 'vitest';
import { Clock } from '../../../base/clock.ts';
import { SeededRng } from '../../../base/seededRng.ts';
import { Etcd } from '../../../etcd/index.ts';
import { Interrupt, type Command, type CommandContext } from '../../command.ts';
import { etcdctl } from './etcdctl.ts';
import { humanizeBytes, table } from './printer.ts';

function lab() {
  const clock = new Clock({ startTime: Date.UTC(2026, 0, 1), paused: true });
  const etcd = new Etcd({ clock, rng: new SeededRng(7), memberId: 0x8e9e05c52164694dn, clusterId: 0xcdf818194e3a8c32n });
  const restored: Array<[string, Etcd]> = [];
  const cmd = etcdctl(etcd, { onRestore: (dir, e) => restored.push([dir, e]) });
  return { clock, etcd, cmd, restored };
}

function start(cmd: Command, clock: Clock, line: string, stdin = '') {
  const out = { stdout: '', stderr: '' };
  const interrupt = new Interrupt();
  // etcdctl uses neither the shell, the file system nor the cluster's API: those parts are left out.
  const ctx = {
    argv: ['etcdctl', ...line.split(' ').filter((w) => w !== '')],
    env: new Map(),
    stdin,
    stdout: (t: string) => (out.stdout += t),
    stderr: (t: string) => (out.stderr += t),
    interrupt,
    clock,
    rng: new SeededRng(1),
  } as unknown as CommandContext;
  return { out, interrupt, status: Promise.resolve(cmd(ctx)) };
}

async function sh(l: ReturnType<typeof lab>, line: string, stdin = '') {
  const r = start(l.cmd, l.clock, line, stdin);
  const status = await r.status;
  return { status, ...r.out };
}

describe('etcdctl get/put/del', () => {
  it('puts, gets and deletes with etcdctl\'s simple output', async () => {
    const l = lab();
    expect(await sh(l, 'put /registry/pods/default/web {"a":1}')).toEqual({ status: 0, stdout: 'OK\n', stderr: '' });
    await sh(l, 'put /registry/pods/default/db {"b":2}');
    await sh(l, 'put /registry/services/default/web svc');
    expect((await sh(l, 'get /registry/pods/default/web')).stdout).toBe('/registry/pods/default/web\n{"a":1}\n');
    expect((await sh(l, 'get /registry --prefix --keys-only')).stdout).toBe('/registry/pods/default/db\n\n/registry/pods/default/web\n\n/registry/services/default/web\n\n');
    expect((await sh(l, 'get /registry/pods --prefix --print-value-only')).stdout).toBe('{"b":2}\n{"a":1}\n');
    expect((await sh(l, 'get --prefix --limit=1 /registry/')).stdout).toBe('/registry/pods/default/db\n{"b":2}\n');
    expect((await sh(l, 'get /registry/pods/default/web --rev=2 --print-value-only')).stdout).toBe('{"a":1}\n');
    expect((await sh(l, 'get /registry/q --from-key --keys-only')).stdout).toBe('/registry/services/default/web\n\n');
    expect((await sh(l, 'del /registry/pods --prefix --prev-kv'))).toEqual({
      status: 0,
      stdout: '2\n/registry/pods/default/db\n{"b":2}\n/registry/pods/default/web\n{"a":1}\n',
      stderr: '',
    });
    expect((await sh(l, 'del /nothing')).stdout).toBe('0\n');
  });

  it('reads the value from stdin when only the key is given, and prints the previous value', async () => {
    const l = lab();
    await sh(l, 'put k v1');
    expect((await sh(l, 'put k --prev-kv', 'from stdin')).stdout).toBe('OK\nk\nv1\n');
    expect((await sh(l, 'get k --print-value-only')).stdout).toBe('from stdin\n');
  });

  it('prints json with base64 keys and values and a numeric header', async () => {
    const l = lab();
    await sh(l, 'put foo bar');
    expect((await sh(l, 'get foo -w json')).stdout).toBe(
      '{"header":{"cluster_id":14841639068965178418,"member_id":10276657743932975437,"revision":2,"raft_term":2},' +
        '"kvs":[{"key":"Zm9v","create_revision":2,"mod_revision":2,"version":1,"value":"YmFy"}],"count":1}\n',
    );
    expect((await sh(l, 'get nothing --write-out=json')).stdout).toBe('{"header":{"cluster_id":14841639068965178418,"member_id":10276657743932975437,"revision":2,"raft_term":2}}\n');
  });

  it('prints fields, and counts only with fields', async () => {
    const l = lab();
    await sh(l, 'put foo "bar"');
    expect((await sh(l, 'get foo -w fields')).stdout).toBe(
      '"ClusterID" : 14841639068965178418\n"MemberID" : 10276657743932975437\n"Revision" : 2\n"RaftTerm" : 2\n' +
        '"Key" : "foo"\n"CreateRevision" : 2\n"ModRevision" : 2\n"Version" : 1\n"Value" : "\\"bar\\""\n"Lease" : 0\n"More" : false\n"Count" : 1\n',
    );
    expect(await sh(l, 'get foo --count-only')).toEqual({ status: 128, stdout: '', stderr: 'Error: --count-only is only for `--write-out=fields`\n' });
  });

  it.each([
    ['get', 128, 'Error: get command needs one argument as key and an optional argument as range_end\n'],
    ['get a --prefix --from-key', 128, 'Error: `--prefix` and `--from-key` cannot be set at the same time, choose one\n'],
    ['get a -w table', 4, 'Error: table is not supported as output format\n'],
    ['get a --rev 9', 1, 'Error: etcdserver: mvcc: required revision is a future revision\n'],
    ['get a --rev x', 1, 'Error: invalid argument "x" for "--rev" flag: strconv.ParseInt: parsing "x": invalid syntax\n'],
    ['get a --bogus', 1, 'Error: unknown flag: --bogus\n'],
    ['put k', 128, 'Error: put command needs 1 argument and input from stdin or 2 arguments\n'],
    ['put k v --lease=zz', 128, 'Error: bad lease ID (strconv.ParseInt: parsing "zz": invalid syntax), expecting ID in Hex\n'],
    ['put k v --lease=1234', 1, 'Error: etcdserver: requested lease not found\n'],
    ['del', 128, 'Error: del command needs one argument as key and an optional argument as range_end\n'],
    ['lease revoke 1234', 1, 'Error: failed to revoke lease (etcdserver: requested lease not found)\n'],
    ['lease grant x', 128, 'Error: bad TTL (strconv.ParseInt: parsing "x": invalid syntax)\n'],
    ['compaction 99', 1, 'Error: etcdserver: mvcc: required revision is a future revision\n'],
    ['frobnicate', 1, 'Error: unknown command "frobnicate" for "etcdctl"\nRun \'etcdctl --help\' for usage.\n'],
  ])('etcdctl %s fails with status %i', async (line, status, stderr) => {
    expect(await sh(lab(), line)).toEqual({ status, stdout: '', stderr });
  });

  it('accepts the TLS flags kubeadm docs use', async () => {
    const l = lab();
    const r = await sh(l, 'put k v --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key');
    expect(r).toEqual({ status: 0, stdout: 'OK\n', stderr: '' });
  });
});

describe('etcdctl watch', () => {
  it('prints events until Ctrl-C, replaying from --rev with --prev-kv', async () => {
    const l = lab();
    await sh(l, 'put /a 1');
    const w = start(l.cmd, l.clock, 'watch /a --prefix --rev=2 --prev-kv');
    await sh(l, 'put /a 2');
    await sh(l, 'del /a');
    await sh(l, 'put /b ignored');
    w.interrupt.fire();
    expect(await w.status).toBe(130);
    expect(w.out.stdout).toBe('PUT\n/a\n1\nPUT\n/a\n1\n/a\n2\nDELETE\n/a\n2\n/a\n\n');
  });

  it('reports a compacted start revision as etcdctl does', async () => {
    const l = lab();
    await sh(l, 'put a 1');
    await sh(l, 'put a 2');
    await sh(l, 'compaction 3');
    expect(await sh(l, 'watch a --rev 2')).toEqual({
      status: 5,
      stdout: '',
      stderr: 'watch was canceled (etcdserver: mvcc: required revision has been compacted)\nError: watch is canceled by the server\n',
    });
  });
});

describe('etcdctl lease', () => {
  it('grants, attaches, shows time to live, lists and revokes', async () => {
    const l = lab();
    const grant = await sh(l, 'lease grant 60');
    const id = /^lease ([0-9a-f]{16}) granted with TTL\(60s\)\n$/.exec(grant.stdout)![1]!;
    await sh(l, `put /lock owner --lease=${id}`);
    l.clock.advance(15_500);
    expect((await sh(l, `lease timetolive ${id} --keys`)).stdout).toBe(`lease ${id} granted with TTL(60s), remaining(44s), attached keys([/lock])\n`);
    expect((await sh(l, 'lease list')).stdout).toBe(`found 1 leases\n${id}\n`);
    expect((await sh(l, `lease revoke ${id}`)).stdout).toBe(`lease ${id} revoked\n`);
    expect((await sh(l, 'get /lock')).stdout).toBe('');
    expect((await sh(l, `lease timetolive ${id}`)).stdout).toBe(`lease ${id} already expired\n`);
    expect((await sh(l, `lease timetolive ${id} -w json`)).stdout).toBe(`{"id":${BigInt('0x' + id)},"ttl":-1,"granted-ttl":0,"keys":null}\n`);
  });

  it('keeps a lease alive every TTL/3 until Ctrl-C', async () => {
    const l = lab();
    const id = /lease (\w+)/.exec((await sh(l, 'lease grant 9')).stdout)![1]!;
    const k = start(l.cmd, l.clock, `lease keep-alive ${id}`);
    await Promise.resolve();
    l.clock.advance(3_000);
    await Promise.resolve();
    l.clock.advance(3_000);
    await Promise.resolve();
    k.interrupt.fire();
    expect(await k.status).toBe(130);
    expect(k.out.stdout).toBe(`lease ${id} keepalived with TTL(9)\n`.repeat(3));
  });
});

describe('etcdctl maintenance', () => {
  it('prints endpoint status as a table', async () => {
    const l = lab();
    expect((await sh(l, 'endpoint status -w table')).stdout).toBe(
      '+----------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------+\n' +
        '|    ENDPOINT    |        ID        | VERSION | DB SIZE | IS LEADER | IS LEARNER | RAFT TERM | RAFT INDEX | RAFT APPLIED INDEX | ERRORS |\n' +
        '+----------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------+\n' +
        '| 127.0.0.1:2379 | 8e9e05c52164694d |  3.5.16 |   20 kB |      true |      false |         2 |          4 |                  4 |        |\n' +
        '+----------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------+\n',
    );
    expect((await sh(l, 'endpoint status --endpoints=https://10.0.0.10:2379')).stdout).toBe('https://10.0.0.10:2379, 8e9e05c52164694d, 3.5.16, 20 kB, true, false, 2, 4, 4, \n');
  });

  it('saves, inspects and restores a snapshot', async () => {
    const l = lab();
    await sh(l, 'put /registry/ns/default {}');
    await sh(l, 'put /registry/ns/kube-system {}');
    const save = await sh(l, 'snapshot save /backup/etcd.db');
    expect(save.stdout).toBe('Snapshot saved at /backup/etcd.db\n');
    expect(save.stderr.split('\n')[0]).toBe('{"level":"info","ts":"2026-01-01T00:00:00.000000Z","caller":"snapshot/v3_snapshot.go:65","msg":"created temporary db file","path":"/backup/etcd.db.part"}');
    const status = await sh(l, 'snapshot status /backup/etcd.db -w json');
    expect(status.stderr).toBe('Deprecated: Use `etcdutl snapshot status` instead.\n\n');
    expect(JSON.parse(status.stdout)).toMatchObject({ revision: 3, totalKey: 2 });
    await sh(l, 'put /registry/ns/after {}');
    const restore = await sh(l, 'snapshot restore /backup/etcd.db --data-dir /var/lib/etcd-from-backup');
    expect(restore.status).toBe(0);
    expect(l.restored.map(([dir]) => dir)).toEqual(['/var/lib/etcd-from-backup']);
    const [, restored] = l.restored[0]!;
    expect(restored.revision).toBe(3);
    expect(restored.range('/registry/', { prefix: true }).count).toBe(2);
    expect((await sh(l, 'snapshot restore /backup/etcd.db --data-dir /var/lib/etcd-from-backup')).stderr).toContain('Error: data-dir "/var/lib/etcd-from-backup" exists\n');
    expect((await sh(l, 'snapshot status /nope.db')).stderr).toContain('Error: stat /nope.db: no such file or directory\n');
  });

  it('compacts and prints the version', async () => {
    const l = lab();
    await sh(l, 'put a 1');
    await sh(l, 'put a 2');
    expect((await sh(l, 'compaction 2')).stdout).toBe('compacted revision 2\n');
    expect((await sh(l, 'get a --rev=1')).stderr).toBe('Error: etcdserver: mvcc: required revision has been compacted\n');
    expect((await sh(l, 'version')).stdout).toBe('etcdctl version: 3.5.16\nAPI version: 3.5\n');
  });
});

describe('printer', () => {
  it.each([
    [9, '9 B'],
    [20_480, '20 kB'],
    [20_500, '20 kB'],
    [21_500, '22 kB'],
    [2_134_016, '2.1 MB'],
  ])('humanizes %i bytes as %s', (n, text) => {
    expect(humanizeBytes(n)).toBe(text);
  });

  it('draws a tablewriter table', () => {
    expect(table(['hash', 'total size'], [['fe01cf57', '2.1 MB']])).toBe(
      '+----------+------------+\n|   HASH   | TOTAL SIZE |\n+----------+------------+\n| fe01cf57 |     2.1 MB |\n+----------+------------+\n',
    );
  });
});

describe('etcdctl txn', () => {
  it('runs the success requests when every compare holds: compare-and-swap on mod_revision', async () => {
    const l = lab();
    await sh(l, 'put /demo/color blue');
    const mod = l.etcd.range('/demo/color').kvs[0]!.modRevision;
    const txn = `mod("/demo/color") = "${mod}"\n\nput /demo/color red\n\nget /demo/color\n`;
    expect(await sh(l, 'txn', txn)).toEqual({ status: 0, stdout: 'SUCCESS\n\nOK\n', stderr: '' });
    expect(l.etcd.range('/demo/color').kvs[0]!.value).toBe('red');
    // The same txn again: mod_revision has moved on, so the failure requests run and nothing is written.
    const revision = l.etcd.revision;
    expect(await sh(l, 'txn', txn)).toEqual({ status: 0, stdout: 'FAILURE\n\n/demo/color\nred\n', stderr: '' });
    expect(l.etcd.revision).toBe(revision);
  });

  it('reads value, version and create compares, quoted words and del with its previous values', async () => {
    const l = lab();
    await sh(l, 'put /demo/a 1');
    const txn = 'value("/demo/a") = "1"\nversion("/demo/a") = "1"\ncreate("/demo/b") = "0"\n\ndel /demo/a --prev-kv\nput "/demo/b c" \'x y\'\n\n';
    expect(await sh(l, 'txn', txn)).toEqual({ status: 0, stdout: 'SUCCESS\n\n1\n/demo/a\n1\n\nOK\n', stderr: '' });
    expect(l.etcd.range('/demo/b c').kvs[0]!.value).toBe('x y');
    expect(l.etcd.range('/demo/a').kvs).toEqual([]);
  });

  it('refuses malformed compares and requests, arguments, --interactive and other output formats', async () => {
    const l = lab();
    expect(await sh(l, 'txn', 'bogus\n\n')).toEqual({ status: 3, stdout: '', stderr: 'Error: malformed comparison: bogus\n' });
    expect(await sh(l, 'txn', 'size("/x") = "1"\n\n')).toEqual({ status: 3, stdout: '', stderr: 'Error: malformed comparison: size("/x") = "1" (unknown target size)\n' });
    expect(await sh(l, 'txn', 'mod("/x") = "a"\n\n')).toEqual({ status: 3, stdout: '', stderr: 'Error: invalid txn compare request: mod("/x") = "a"\n' });
    expect(await sh(l, 'txn', 'mod("/x") = "1"\n\nfoo /x\n\n')).toEqual({ status: 3, stdout: '', stderr: 'Error: invalid txn request: foo /x\n' });
    expect((await sh(l, 'txn extra')).status).toBe(128);
    expect((await sh(l, 'txn --interactive')).status).toBe(4);
    expect((await sh(l, 'txn -w json', '\n\n')).status).toBe(4);
  });
});
