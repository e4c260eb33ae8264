import { describe, expect, it } from 'vitest';
import { rootCred, userCred } from '../process/cred.ts';
import { IPC_CREAT, IPC_EXCL, IPC_PRIVATE, IpcNamespace } from './ipcNamespace.ts';
import { NsTree } from './nsTree.ts';
import { UserNamespace } from './userNamespace.ts';

function setup() {
  const tree = new NsTree();
  const user = UserNamespace.initial(tree);
  const host = IpcNamespace.initial(tree, user, () => 42);
  return { user, host, other: host.clone(user), root: rootCred(user), alice: userCred(user, 1000, 1000) };
}

describe('IpcNamespace', () => {
  it('hands out ids 0, 1, 2… per kind, and never reuses an index until it wraps', () => {
    const { host, root } = setup();
    expect(host.msgget(0x1234, IPC_CREAT | 0o644, root)).toBe(0);
    expect(host.msgget(IPC_PRIVATE, 0o600, root)).toBe(1);
    expect(host.shmget(0x99, 4096, IPC_CREAT | 0o644, root)).toBe(0);
    expect(host.semget(0x77, 3, IPC_CREAT | 0o644, root)).toBe(0);
    host.rmid('msg', 1, root);
    expect(host.msgget(IPC_PRIVATE, 0o600, root)).toBe(2);
    expect(host.msgQueues().map((q) => [q.key, q.id, q.uid, q.mode, q.ctime])).toEqual([
      [0x1234, 0, 0, 0o644, 42],
      [0, 2, 0, 0o600, 42],
    ]);
  });

  it('keeps each namespace’s objects to itself', () => {
    const { host, other, root } = setup();
    host.msgget(0x1234, IPC_CREAT | 0o644, root);
    expect(other.msgQueues()).toEqual([]);
    expect(() => other.msgget(0x1234, 0, root)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(other.msgget(0x1234, IPC_CREAT | 0o600, root)).toBe(0);
  });

  it.each([
    ['an existing key with IPC_CREAT|IPC_EXCL', IPC_CREAT | IPC_EXCL | 0o600, 'EEXIST'],
    ['a missing key without IPC_CREAT', 0, 'ENOENT'],
  ])('refuses %s', (_what, flags, code) => {
    const { host, root } = setup();
    host.msgget(0x10, IPC_CREAT | 0o600, root);
    expect(() => host.msgget(flags === 0 ? 0x11 : 0x10, flags, root)).toThrow(expect.objectContaining({ code }));
  });

  it('checks the mode for another user, and lets only the owner or an admin remove', () => {
    const { host, root, alice } = setup();
    const id = host.msgget(0x10, IPC_CREAT | 0o600, root);
    expect(() => host.msgget(0x10, 0o400, alice)).toThrow(expect.objectContaining({ code: 'EACCES' }));
    expect(() => host.rmid('msg', id, alice)).toThrow(expect.objectContaining({ code: 'EPERM' }));
    host.rmid('msg', id, root);
    expect(() => host.rmid('msg', id, root)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });

  it('counts messages and bytes as ipcs shows them', () => {
    const { host, root } = setup();
    const id = host.msgget(IPC_PRIVATE, 0o600, root);
    host.msgsnd(id, 1, 100, root);
    host.msgsnd(id, 2, 50, root);
    expect(host.find('msg', id)).toMatchObject({ qnum: 2, cbytes: 150 });
    expect(host.msgrcv(id, 2, root)).toBe(50);
    expect(host.msgrcv(id, 2, root)).toBeUndefined();
    expect(host.find('msg', id)).toMatchObject({ qnum: 1, cbytes: 100 });
  });

  it('marks an attached segment for removal and drops it with the last detach', () => {
    const { host, root } = setup();
    const id = host.shmget(0x5, 1024, IPC_CREAT | 0o600, root);
    host.shmat(id, root);
    host.rmid('shm', id, root);
    expect(host.find('shm', id)).toMatchObject({ dest: true, nattch: 1, key: IPC_PRIVATE });
    host.shmdt(id);
    expect(host.shmSegments()).toEqual([]);
  });

  it('refuses semaphore sets of 0 or more than SEMMSL semaphores', () => {
    const { host, root } = setup();
    expect(() => host.semget(0x1, 0, IPC_CREAT | 0o600, root)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expect(() => host.semget(0x1, 32001, IPC_CREAT | 0o600, root)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });
});
