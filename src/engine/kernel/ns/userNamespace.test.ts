import { describe, expect, it } from 'vitest';
import { KernelError } from '../errno.ts';
import { CAP, CAP_FULL_SET, nsCapable } from '../process/capability.ts';
import { rootCred, userCred, type Cred } from '../process/cred.ts';
import { NsTree } from './nsTree.ts';
import { MAX_USER_NS_LEVEL, UserNamespace } from './userNamespace.ts';

function setup() {
  const tree = new NsTree();
  const init = UserNamespace.initial(tree);
  const root = rootCred(init);
  const alice = userCred(init, 1000, 1000);
  /** What `unshare --user` leaves alice with: a new namespace and every capability in it. */
  const unshared = UserNamespace.create(tree, alice);
  return { tree, init, root, alice, ns: unshared.ns, inside: unshared.cred };
}

function errno(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof KernelError) return error.code;
    throw error;
  }
}

type Writer = 'inside' | 'alice' | 'root' | 'stranger';

describe('UserNamespace', () => {
  it('starts with identity maps in the initial namespace', () => {
    const { init } = setup();
    expect(init.readMap('uid', init)).toBe('         0          0 4294967295\n');
    expect(init.link).toBe('user:[4026531837]');
  });

  it('gives the creator every capability inside, and none over its parent', () => {
    const { init, ns, inside } = setup();
    expect(inside.capEffective).toBe(CAP_FULL_SET);
    expect(nsCapable(inside, ns, CAP.CAP_SYS_ADMIN)).toBe(true);
    expect(nsCapable(inside, init, CAP.CAP_SYS_ADMIN)).toBe(false);
    expect(ns.owner).toBe(1000);
  });

  it('gives the owner, from the parent namespace, every capability in the child', () => {
    const { ns, alice, root } = setup();
    expect(nsCapable(alice, ns, CAP.CAP_SYS_ADMIN)).toBe(true);
    expect(nsCapable(root, ns, CAP.CAP_NET_ADMIN)).toBe(true);
    expect(nsCapable(userCred(root.userNs, 1001, 1001), ns, CAP.CAP_SYS_ADMIN)).toBe(false);
  });

  it.each<[string, Writer, string, string | undefined]>([
    ['its own euid, from inside', 'inside', '0 1000 1\n', undefined],
    ['its own euid, from the parent namespace', 'alice', '0 1000 1', undefined],
    ['a range, unprivileged', 'inside', '0 1000 2\n', 'EPERM'],
    ['another user, unprivileged', 'inside', '0 1001 1\n', 'EPERM'],
    ['the parent root, unprivileged', 'inside', '0 0 1\n', 'EPERM'],
    ['a subordinate range, as root', 'root', '0 100000 65536\n', undefined],
    ['from an unrelated namespace', 'stranger', '0 1000 1\n', 'EPERM'],
    ['a zero-length range', 'root', '0 100000 0\n', 'EINVAL'],
    ['overlapping ranges', 'root', '0 100000 10\n5 200000 10\n', 'EINVAL'],
    ['overlapping lower ranges', 'root', '0 100000 10\n20 100005 10\n', 'EINVAL'],
    ['garbage', 'root', '0 x 1\n', 'EINVAL'],
    ['an empty write', 'root', '', 'EINVAL'],
    ['trailing junk', 'root', '0 100000 10 7\n', 'EINVAL'],
  ])('uid_map: writing %s → %s', (_what, who, text, expected) => {
    const s = setup();
    const stranger = UserNamespace.create(s.tree, userCred(s.init, 2000, 2000)).cred;
    const writer: Record<Writer, Cred> = { inside: s.inside, alice: s.alice, root: s.root, stranger };
    expect(errno(() => s.ns.writeUidMap(text, writer[who]))).toBe(expected);
  });

  it('takes at most 340 lines, and a map only once', () => {
    const s = setup();
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `${i} ${1000 + i} 1\n`).join('');
    expect(errno(() => s.ns.writeUidMap(lines(341), s.root))).toBe('EINVAL');
    s.ns.writeUidMap(lines(340), s.root);
    expect(s.ns.uidMap).toHaveLength(340);
    expect(errno(() => s.ns.writeUidMap('0 1000 1\n', s.root))).toBe('EPERM');
  });

  it('maps ids in and out, and shows unmapped ones as the overflow id 65534', () => {
    const s = setup();
    s.ns.writeUidMap('0 100000 65536\n', s.root);
    expect(s.ns.makeKuid(0)).toBe(100000);
    expect(s.ns.fromKuid(100005)).toBe(5);
    expect(s.ns.fromKuidMunged(1000)).toBe(65534);
    expect(s.ns.readMap('uid', s.ns)).toBe('         0     100000      65536\n');
    expect(s.ns.readMap('uid', s.init)).toBe('         0     100000      65536\n');
  });

  it('lets an unprivileged gid_map through only after setgroups is denied, and never undoes deny', () => {
    const s = setup();
    expect(errno(() => s.ns.writeGidMap('0 1000 1\n', s.inside))).toBe('EPERM');
    s.ns.writeSetgroups('deny', s.inside);
    expect(s.ns.setgroups).toBe('deny');
    s.ns.writeGidMap('0 1000 1\n', s.inside);
    expect(s.ns.fromKgid(1000)).toBe(0);
    expect(errno(() => s.ns.writeSetgroups('allow\n', s.inside))).toBe('EPERM');
    expect(errno(() => s.ns.writeSetgroups('maybe', s.inside))).toBe('EINVAL');
  });

  it('refuses to deny setgroups once gid_map is written', () => {
    const s = setup();
    s.ns.writeGidMap('0 100000 65536\n', s.root);
    expect(errno(() => s.ns.writeSetgroups('deny', s.root))).toBe('EPERM');
  });

  it('refuses a new namespace past the nesting limit with ENOSPC, and for an unmapped creator with EPERM', () => {
    const s = setup();
    let cred = s.root;
    for (let i = 0; i < MAX_USER_NS_LEVEL; i++) {
      const next = UserNamespace.create(s.tree, cred);
      next.ns.writeUidMap('0 0 1\n', cred);
      next.ns.writeGidMap('0 0 1\n', cred);
      cred = next.cred;
    }
    expect(cred.userNs.level).toBe(33);
    expect(errno(() => UserNamespace.create(s.tree, cred))).toBe('ENOSPC');
    expect(errno(() => UserNamespace.create(s.tree, s.inside))).toBe('EPERM');
  });
});
