import { describe, expect, it } from 'vitest';
import { IFF, NetDevice } from './netDevice.ts';
import { NetNamespace } from './netNamespace.ts';
import { NsTree } from './nsTree.ts';
import { UserNamespace } from './userNamespace.ts';

function namespaces() {
  const tree = new NsTree();
  const user = UserNamespace.initial(tree);
  return { tree, user, init: NetNamespace.initial(tree, user), fresh: NetNamespace.create(tree, user) };
}

const ether = (name: string) =>
  new NetDevice({ name, linkType: 'ether', flags: IFF.BROADCAST | IFF.MULTICAST, mtu: 1500, address: '02:42:ac:11:00:02', broadcast: 'ff:ff:ff:ff:ff:ff', upQdisc: 'fq_codel' });

describe('NetNamespace', () => {
  it('starts a new namespace with lo down, qdisc noop, no addresses', () => {
    const lo = namespaces().fresh.device('lo')!;
    expect({ ifindex: lo.ifindex, flags: lo.flags, up: lo.up, mtu: lo.mtu, qdisc: lo.qdisc, state: lo.operstate, addrs: lo.addresses }).toEqual({
      ifindex: 1, flags: IFF.LOOPBACK, up: false, mtu: 65536, qdisc: 'noop', state: 'DOWN', addrs: [],
    });
    expect(lo.address).toBe('00:00:00:00:00:00');
  });

  it('starts the initial namespace with lo up, 127.0.0.1/8 and ::1/128', () => {
    const lo = namespaces().init.device('lo')!;
    expect(lo.flags).toBe(IFF.LOOPBACK | IFF.UP | IFF.RUNNING | IFF.LOWER_UP);
    expect([lo.qdisc, lo.operstate]).toEqual(['noqueue', 'UNKNOWN']);
    expect(lo.addresses.map((a) => `${a.family} ${a.local}/${a.prefixlen} ${a.scope}`)).toEqual(['inet 127.0.0.1/8 host', 'inet6 ::1/128 host']);
  });

  it('configures loopback addresses when lo goes up and drops the IPv6 one when it goes down', () => {
    const lo = namespaces().fresh.device('lo')!;
    lo.setUp(true);
    expect(lo.addresses.map((a) => a.local)).toEqual(['127.0.0.1', '::1']);
    lo.setUp(false);
    expect(lo.addresses.map((a) => a.local)).toEqual(['127.0.0.1']);
  });

  it('numbers devices per namespace and refuses taken or invalid names', () => {
    const { init, fresh } = namespaces();
    const eth0 = ether('eth0');
    fresh.addDevice(eth0);
    expect(eth0.ifindex).toBe(2);
    expect(fresh.devices().map((d) => d.name)).toEqual(['lo', 'eth0']);
    expect(init.device('eth0')).toBeUndefined();
    expect(() => fresh.addDevice(ether('eth0'))).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(() => fresh.addDevice(ether('a-name-longer-than-15'))).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expect(() => fresh.renameDevice(eth0, 'lo')).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    const moved = ether('veth0');
    init.addDevice(moved, 7);
    expect(moved.ifindex).toBe(7);
    expect([eth0.operstate, eth0.qdisc]).toEqual(['DOWN', 'noop']);
    eth0.setUp(true);
    expect([eth0.operstate, eth0.qdisc]).toEqual(['UP', 'fq_codel']);
  });

  it('removes its devices when released', () => {
    const { fresh } = namespaces();
    const removed: string[] = [];
    fresh.onDidRemoveDevice((d) => removed.push(d.name));
    fresh.addDevice(ether('eth0'));
    fresh.get();
    fresh.put();
    expect(removed).toEqual(['lo', 'eth0']);
  });
});
