/**
 * The CNI seam of the CRI plugin (containerd's go-cni over libcni): the plugin containerd calls to put a
 * pod sandbox's network namespace on the network (ADD, with the namespace's path and the interface name
 * `eth0`) and to take it off (DEL), and whose readiness the runtime's NetworkReady condition reports.
 * The kubelet hands the node's pod CIDR over through UpdateRuntimeConfig; a plugin that needs it stays
 * "not initialized" until then.
 */
import type { NetNamespace } from '../../kernel/ns/netNamespace.ts';

/** What ADD and DEL are given (the CNI_* environment of a plugin). */
export interface CniArgs {
  /** CNI_CONTAINERID: the sandbox id. */
  containerId: string;
  /** CNI_NETNS: the pinned namespace's path (/var/run/netns/cni-…). */
  netnsPath: string;
  /** The namespace itself (what opening CNI_NETNS gives the plugin). */
  netns: NetNamespace;
  /** CNI_IFNAME. */
  ifName: string;
}

/** An ADD's result: the interface's addresses. */
export interface CniResult {
  /** The IPs with their prefix length, e.g. `10.244.1.2/24`, the first being the pod's. */
  ips: Array<{ address: string; gateway: string }>;
}

/** A network plugin, as the CRI plugin calls it. */
export interface CniPlugin {
  /** The network's name (the conflist's `name`). */
  readonly name: string;
  /** Why the plugin cannot set up pods yet, or undefined when it can. */
  notReadyReason(): string | undefined;
  /** The node's pod CIDR changed (UpdateRuntimeConfig). */
  setPodCidr(cidr: string): void;
  /** Attach the namespace: create the interface and give it an address. */
  add(args: CniArgs): CniResult;
  /** Detach it: release what ADD allocated (idempotent, as CNI requires). */
  del(args: CniArgs): void;
}
