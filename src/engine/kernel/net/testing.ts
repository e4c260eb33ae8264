/**
 * Test helpers for the network code: a pod's process as the CNI plugin leaves it — a new network
 * namespace with `lo` up and, given an address, eth0 holding it as a /24.
 */
import type { Host } from '../host.ts';
import { CLONE_NEWNET } from '../ns/cloneFlags.ts';
import { IFF, NetDevice } from '../ns/netDevice.ts';
import type { Process } from '../process/process.ts';

/** A process of `host` in a new network namespace with `lo` up and eth0 holding `ip`/24 when given. */
export function podProcess(host: Host, ip?: string): Process {
  const p = host.table.clone(host.init, { flags: CLONE_NEWNET });
  const netns = p.nsproxy!.net;
  netns.device('lo')!.setUp(true);
  if (ip) {
    const eth = new NetDevice({ name: 'eth0', linkType: 'ether', flags: IFF.BROADCAST | IFF.MULTICAST, mtu: 1500, address: '0a:58:0a:f4:01:02', broadcast: 'ff:ff:ff:ff:ff:ff' });
    netns.addDevice(eth);
    eth.setUp(true);
    eth.addAddress({ family: 'inet', local: ip, prefixlen: 24, scope: 'global' });
  }
  return p;
}
