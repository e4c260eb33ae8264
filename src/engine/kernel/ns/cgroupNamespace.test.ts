import { describe, expect, it } from 'vitest';
import { CgroupHierarchy } from '../cgroup/cgroup.ts';
import { CgroupNamespace } from './cgroupNamespace.ts';
import { NsTree } from './nsTree.ts';
import { UserNamespace } from './userNamespace.ts';

describe('CgroupNamespace', () => {
  it.each([
    ['/', '/', '/'],
    ['/', '/kubepods/pod1/ctr', '/kubepods/pod1/ctr'],
    ['/kubepods/pod1/ctr', '/kubepods/pod1/ctr', '/'],
    ['/kubepods/pod1/ctr', '/kubepods/pod1/ctr/sub', '/sub'],
    ['/kubepods/pod1/ctr', '/kubepods/pod2/ctr', '/../../pod2/ctr'],
    ['/kubepods/pod1', '/', '/../..'],
  ])('rooted at %s, shows %s as %s', (root, cgroup, shown) => {
    const tree = new NsTree();
    const user = UserNamespace.initial(tree);
    const hierarchy = new CgroupHierarchy({ version: 2, cpus: 1, totalRamBytes: 2 ** 30, kill: () => {}, log: () => {} });
    const ns = CgroupNamespace.create(tree, user, hierarchy.mkdirp(root));
    expect(ns.relativePath(hierarchy.mkdirp(cgroup))).toBe(shown);
  });
});
