import { describe, expect, it } from 'vitest';
import { CgroupHierarchy } from '../cgroup/cgroup.ts';
import { bootHost } from '../fs/testing.ts';
import { CgroupNamespace } from './cgroupNamespace.ts';
import { IpcNamespace } from './ipcNamespace.ts';
import { MntNamespace } from './mntNamespace.ts';
import { NetNamespace } from './netNamespace.ts';
import { NsTree, PROC_DYNAMIC_FIRST } from './nsTree.ts';
import { PidNamespace } from './pidNamespace.ts';
import { UserNamespace } from './userNamespace.ts';
import { UtsNamespace } from './utsNamespace.ts';

function boot(tree = new NsTree()) {
  const user = UserNamespace.initial(tree);
  return {
    tree,
    user,
    pid: PidNamespace.initial(tree, user),
    uts: UtsNamespace.initial(tree, user),
    ipc: IpcNamespace.initial(tree, user, () => 0),
    cgroup: CgroupNamespace.initial(tree, user, new CgroupHierarchy({ version: 2, cpus: 1, totalRamBytes: 2 ** 30, kill: () => {}, log: () => {} }).root),
    net: NetNamespace.initial(tree, user),
    mnt: MntNamespace.initial(tree, user, bootHost({ skeleton: false }).mounts),
  };
}

describe('NsTree and namespace inode numbers', () => {
  it.each([
    ['ipc', 'ipc:[4026531839]'],
    ['uts', 'uts:[4026531838]'],
    ['user', 'user:[4026531837]'],
    ['pid', 'pid:[4026531836]'],
    ['cgroup', 'cgroup:[4026531835]'],
    ['net', 'net:[4026531840]'],
    ['mnt', 'mnt:[4026531841]'],
  ] as const)('gives the initial %s namespace %s', (type, link) => {
    expect(boot()[type].link).toBe(link);
  });

  it('hands later namespaces 4026532xxx numbers, lowest free first, and reuses a released one', () => {
    const host = boot();
    const a = NetNamespace.create(host.tree, host.user).get();
    const b = host.uts.clone(host.user).get();
    expect([a.inum, b.inum]).toEqual([4026532160, 4026532161]);
    expect(host.tree.find(a.inum)).toBe(a);
    a.put();
    expect(a.alive).toBe(false);
    expect(host.tree.find(a.inum)).toBeUndefined();
    expect(host.ipc.clone(host.user).inum).toBe(4026532160);
  });

  it('reports creation and release, and releases a namespace only with its last reference', () => {
    const tree = new NsTree(PROC_DYNAMIC_FIRST + 100);
    const host = boot(tree);
    const seen: string[] = [];
    tree.onDidCreate((ns) => seen.push(`+${ns.link}`));
    tree.onDidRelease((ns) => seen.push(`-${ns.link}`));
    const net = NetNamespace.create(tree, host.user);
    net.get();
    net.get();
    net.put();
    expect(net.alive).toBe(true);
    net.put();
    expect(seen).toEqual(['+net:[4026531940]', '-net:[4026531940]']);
    expect(() => net.get()).toThrow(/already released/);
  });

  it('keeps an owning user namespace alive while a namespace it owns lives', () => {
    const host = boot();
    const child = UserNamespace.create(host.tree, {
      uid: 1000, euid: 1000, suid: 1000, fsuid: 1000, gid: 1000, egid: 1000, sgid: 1000, fsgid: 1000, groups: [],
      capInheritable: 0n, capPermitted: 0n, capEffective: 0n, capBounding: 0n, capAmbient: 0n, userNs: host.user,
    }).ns;
    const uts = host.uts.clone(child).get();
    expect(child.alive).toBe(true);
    uts.put();
    expect(child.alive).toBe(false);
  });
});
