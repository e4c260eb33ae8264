import { describe, expect, it } from 'vitest';
import { MAY_EXEC, MAY_READ, MAY_WRITE, genericPermission } from './permission.ts';

const file = { mode: 0o100640, uid: 1000, gid: 100 };
const script = { mode: 0o100644, uid: 1000, gid: 100 };

describe('genericPermission', () => {
  it.each([
    ['owner reads', file, { uid: 1000, gid: 1000, groups: [] }, MAY_READ, true],
    ['owner writes', file, { uid: 1000, gid: 1000, groups: [] }, MAY_WRITE, true],
    ['group member reads', file, { uid: 1001, gid: 1001, groups: [100] }, MAY_READ, true],
    ['group member writes', file, { uid: 1001, gid: 100, groups: [] }, MAY_WRITE, false],
    ['other reads', file, { uid: 1002, gid: 1002, groups: [] }, MAY_READ, false],
    ['owner bits win over group bits', { mode: 0o100070, uid: 1000, gid: 100 }, { uid: 1000, gid: 100, groups: [] }, MAY_READ, false],
    ['root reads anything', { ...file, mode: 0o100000 }, { uid: 0, gid: 0, groups: [] }, MAY_READ | MAY_WRITE, true],
    ['root executes without x bits', script, { uid: 0, gid: 0, groups: [] }, MAY_EXEC, false],
    ['root executes with one x bit', { ...script, mode: 0o100654 }, { uid: 0, gid: 0, groups: [] }, MAY_EXEC, true],
    ['root searches a 000 directory', { mode: 0o040000, uid: 1, gid: 1 }, { uid: 0, gid: 0, groups: [] }, MAY_EXEC, true],
  ])('%s', (_, attr, cred, mask, want) => {
    expect(genericPermission(attr, cred, mask)).toBe(want);
  });
});
