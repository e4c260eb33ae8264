/**
 * NetNamespace — network_namespaces(7) (net/core/net_namespace.c): a namespace's own network devices.
 * A new one holds just `lo`, down and without addresses; the initial one's `lo` is up with 127.0.0.1/8 and
 * ::1/128. Interface indexes are per namespace, handed out from 1 upward as dev_new_index does. Routes,
 * netfilter, sockets and moving devices between namespaces belong to the networking code, which adds
 * its devices with addDevice and follows the events.
 */
import { Emitter } from '../../base/emitter.ts';
import { KernelError } from '../errno.ts';
import { IFNAMSIZ_MAX, LoopbackDevice, type NetDevice } from './netDevice.ts';
import { NsCommon, type NsSet } from './nsCommon.ts';
import type { NsTree } from './nsTree.ts';
import type { UserNamespace } from './userNamespace.ts';

export class NetNamespace extends NsCommon {
  /** Always 'net'. */
  readonly type = 'net';
  declare readonly userNs: UserNamespace;
  private readonly byIndex = new Map<number, NetDevice>();
  private lastIndex = 0;

  private readonly _onDidAddDevice = new Emitter<NetDevice>();
  /** Fires when a device joins this namespace. */
  readonly onDidAddDevice = this._onDidAddDevice.event;
  private readonly _onDidRemoveDevice = new Emitter<NetDevice>();
  /** Fires when a device leaves this namespace (removed, or the namespace released). */
  readonly onDidRemoveDevice = this._onDidRemoveDevice.event;

  private constructor(tree: NsTree, userNs: UserNamespace, loUp: boolean) {
    super(tree, userNs);
    userNs.get();
    const lo = new LoopbackDevice();
    this.addDevice(lo);
    if (loUp) lo.setUp(true);
    this.register();
  }

  /** The initial network namespace (init_net), with `lo` up. */
  static initial(tree: NsTree, userNs: UserNamespace): NetNamespace {
    return new NetNamespace(tree, userNs, true);
  }

  /** A new network namespace owned by `userNs` (copy_net_ns), with `lo` down. */
  static create(tree: NsTree, userNs: UserNamespace): NetNamespace {
    return new NetNamespace(tree, userNs, false);
  }

  /** Its devices, by interface index. */
  devices(): NetDevice[] {
    return [...this.byIndex.values()].sort((a, b) => a.ifindex - b.ifindex);
  }

  /** The device with this name, if any. */
  device(name: string): NetDevice | undefined {
    for (const dev of this.byIndex.values()) if (dev.name === name) return dev;
    return undefined;
  }

  /** The device with this interface index, if any. */
  deviceByIndex(ifindex: number): NetDevice | undefined {
    return this.byIndex.get(ifindex);
  }

  /**
   * Register a device here (register_netdevice): EINVAL for an invalid name (empty, longer than 15,
   * "." or "..", or holding '/', ':' or whitespace), EEXIST when the name is taken. It keeps
   * `preferredIndex` when that index is free here (as a device moved between namespaces does), else
   * gets the next free index.
   */
  addDevice(dev: NetDevice, preferredIndex?: number): void {
    if (!validName(dev.name)) throw new KernelError('EINVAL');
    if (this.device(dev.name)) throw new KernelError('EEXIST');
    let index = preferredIndex !== undefined && preferredIndex > 0 && !this.byIndex.has(preferredIndex) ? preferredIndex : 0;
    if (index === 0) {
      index = this.lastIndex + 1;
      while (this.byIndex.has(index)) index++;
      this.lastIndex = index;
    }
    dev.ifindex = index;
    this.byIndex.set(index, dev);
    this._onDidAddDevice.fire(dev);
  }

  /** Unregister a device; false when it is not in this namespace. */
  removeDevice(dev: NetDevice): boolean {
    if (this.byIndex.get(dev.ifindex) !== dev) return false;
    this.byIndex.delete(dev.ifindex);
    this._onDidRemoveDevice.fire(dev);
    return true;
  }

  /** Rename a device (`ip link set dev a name b`): EINVAL for an invalid name, EEXIST when taken. */
  renameDevice(dev: NetDevice, name: string): void {
    if (!validName(name)) throw new KernelError('EINVAL');
    const other = this.device(name);
    if (other && other !== dev) throw new KernelError('EEXIST');
    dev.name = name;
  }

  /** setns(2) into it: CAP_SYS_ADMIN over its owner and over the caller's own user namespace. */
  install(nsset: NsSet): void {
    this.requireSysAdmin(nsset);
    nsset.nsproxy.replace('net', this);
  }

  protected override onRelease(): void {
    for (const dev of this.devices()) this.removeDevice(dev);
    this.userNs.put();
  }
}

/** dev_valid_name. */
function validName(name: string): boolean {
  if (name.length === 0 || name.length > IFNAMSIZ_MAX || name === '.' || name === '..') return false;
  return !/[/:\s]/.test(name);
}
