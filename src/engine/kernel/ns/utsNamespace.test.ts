import { describe, expect, it } from 'vitest';
import { rootCred, userCred } from '../process/cred.ts';
import { NsTree } from './nsTree.ts';
import { UserNamespace } from './userNamespace.ts';
import { UtsNamespace } from './utsNamespace.ts';

function setup() {
  const tree = new NsTree();
  const user = UserNamespace.initial(tree);
  return { tree, user, host: UtsNamespace.initial(tree, user, { nodename: 'node-1' }), root: rootCred(user) };
}

describe('UtsNamespace', () => {
  it('keeps a hostname change inside the namespace', () => {
    const { user, host, root } = setup();
    const container = host.clone(user);
    expect(container.hostname).toBe('node-1');
    container.sethostname('web-0', root);
    expect([host.hostname, container.hostname]).toEqual(['node-1', 'web-0']);
    expect(container.utsname).toMatchObject({ sysname: 'Linux', nodename: 'web-0', domainname: '(none)' });
  });

  it('refuses sethostname without CAP_SYS_ADMIN, and names longer than 64 bytes', () => {
    const { user, host, root } = setup();
    expect(() => host.sethostname('x', userCred(user, 1000, 1000))).toThrow(expect.objectContaining({ code: 'EPERM' }));
    expect(() => host.sethostname('a'.repeat(65), root)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    host.setdomainname('a'.repeat(64), root);
    expect(host.domainname).toHaveLength(64);
  });

  it('lets an unprivileged user name a UTS namespace its own user namespace owns', () => {
    const { tree, user, host } = setup();
    const { ns, cred } = UserNamespace.create(tree, userCred(user, 1000, 1000));
    const mine = host.clone(ns);
    mine.sethostname('sandbox', cred);
    expect(() => host.sethostname('sandbox', cred)).toThrow(expect.objectContaining({ code: 'EPERM' }));
    expect(mine.hostname).toBe('sandbox');
  });
});
