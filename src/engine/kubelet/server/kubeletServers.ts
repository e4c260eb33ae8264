/**
 * KubeletServers — where the apiserver finds a node's kubelet: the stand-in for the node's
 * status.daemonEndpoints.kubeletEndpoint and the network between them (pkg/kubelet/client's
 * NodeConnectionInfoGetter). A kubelet registers its server under its node name when it starts serving
 * and unregisters when it stops; a node with none (a lightweight kwok node, a stopped kubelet) refuses
 * the connection.
 */
import type { KubeletServer } from './kubeletServer.ts';

export class KubeletServers {
  private readonly servers = new Map<string, KubeletServer>();

  register(nodeName: string, server: KubeletServer): void {
    this.servers.set(nodeName, server);
  }

  /** Stop reaching `nodeName`'s server (only if `server` is still the one registered, when given). */
  unregister(nodeName: string, server?: KubeletServer): void {
    if (server === undefined || this.servers.get(nodeName) === server) this.servers.delete(nodeName);
  }

  get(nodeName: string): KubeletServer | undefined {
    return this.servers.get(nodeName);
  }
}
