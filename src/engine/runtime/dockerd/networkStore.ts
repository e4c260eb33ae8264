/**
 * NetworkStore — libnetwork's networks as dockerd presents them: the predefined `bridge` (docker0,
 * 172.17.0.0/16), `host` and `none`, and user-defined bridge networks (172.18.0.0/16, 172.19.0.0/16… or
 * the given subnet), each with a 64-hex ID, its IPAM configuration, and the endpoints of the containers
 * attached to it (an address from the subnet, the gateway being .1, and a MAC derived from the address
 * as libnetwork derives it). Errors are the daemon's (`network with name x already exists`, `bridge is a
 * pre-defined network and cannot be removed`, `network x not found`).
 *
 * Left out: the data path: no bridge device, veth pair or iptables rule exists yet (the network piece
 * builds them); containers on a bridge network have only `lo`. Also overlay, macvlan and ipvlan drivers,
 * IPv6, DNS for user-defined networks and network connect/disconnect.
 */
import type { SeededRng } from '../../base/seededRng.ts';
import { rfc3339Nano } from '../runc/state.ts';
import { DaemonError } from './daemonError.ts';
import type { NetworkResource } from './engineApi.ts';

/** A container's endpoint on a network. */
export interface Endpoint {
  networkId: string;
  endpointId: string;
  ipAddress: string;
  prefixLen: number;
  gateway: string;
  macAddress: string;
}

interface NetworkRecord {
  name: string;
  id: string;
  created: number;
  driver: 'bridge' | 'host' | 'null';
  subnet: string;
  gateway: string;
  options: Record<string, string>;
  labels: Record<string, string>;
  /** Endpoints by container ID, with the container's name. */
  endpoints: Map<string, Endpoint & { name: string }>;
}

const HEX = '0123456789abcdef';
const PREDEFINED = new Set(['bridge', 'host', 'none']);

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export class NetworkStore {
  private readonly networks = new Map<string, NetworkRecord>();

  constructor(
    private readonly rng: SeededRng,
    private readonly now: () => number,
  ) {
    this.add('bridge', 'bridge', '172.17.0.0/16', '172.17.0.1', {
      'com.docker.network.bridge.default_bridge': 'true',
      'com.docker.network.bridge.enable_icc': 'true',
      'com.docker.network.bridge.enable_ip_masquerade': 'true',
      'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
      'com.docker.network.bridge.name': 'docker0',
      'com.docker.network.driver.mtu': '1500',
    });
    this.add('host', 'host', '', '', {});
    this.add('none', 'null', '', '', {});
  }

  /** Create a user-defined network; its ID. */
  create(name: string, options: { driver?: string; subnet?: string; gateway?: string; labels?: Record<string, string> } = {}): string {
    if ([...this.networks.values()].some((n) => n.name === name)) throw new DaemonError(`network with name ${name} already exists`, 409);
    const driver = options.driver ?? 'bridge';
    if (driver === 'host' || driver === 'null') throw new DaemonError(`only one instance of "${driver}" network is allowed`, 403);
    if (driver !== 'bridge') throw new DaemonError(`plugin "${driver}" not found`, 404);
    let subnet = options.subnet;
    if (!subnet) {
      for (let second = 18; second < 32 && !subnet; second++) {
        const candidate = `172.${second}.0.0/16`;
        if (![...this.networks.values()].some((n) => n.subnet === candidate)) subnet = candidate;
      }
      subnet ??= '192.168.0.0/20';
    }
    const gateway = options.gateway ?? intToIp(ipToInt(subnet.split('/')[0]!) + 1);
    return this.add(name, 'bridge', subnet, gateway, {}, options.labels ?? {}).id;
  }

  /** A network by name, full ID or ID prefix (`network x not found`). */
  get(idOrName: string): NetworkResource {
    return this.toResource(this.find(idOrName));
  }

  /** The record's ID and name, for containers' NetworkMode. */
  resolve(idOrName: string): { id: string; name: string; driver: string } {
    const n = this.find(idOrName);
    return { id: n.id, name: n.name, driver: n.driver };
  }

  /** Every network, by name. */
  list(): NetworkResource[] {
    return [...this.networks.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((n) => this.toResource(n));
  }

  /** Remove a user-defined network. */
  remove(idOrName: string): void {
    const n = this.find(idOrName);
    if (PREDEFINED.has(n.name)) throw new DaemonError(`${n.name} is a pre-defined network and cannot be removed`, 403);
    if (n.endpoints.size > 0) throw new DaemonError(`error while removing network: network ${n.name} id ${n.id} has active endpoints`, 409);
    this.networks.delete(n.id);
  }

  /** Attach a container: an endpoint with the next free address (none on host and none networks). */
  connect(idOrName: string, containerId: string, containerName: string): Endpoint {
    const n = this.find(idOrName);
    const endpoint: Endpoint = { networkId: n.id, endpointId: this.rng.string(HEX, 64), ipAddress: '', prefixLen: 0, gateway: '', macAddress: '' };
    if (n.driver === 'bridge') {
      const [base, bits] = n.subnet.split('/') as [string, string];
      const used = new Set([...n.endpoints.values()].map((e) => e.ipAddress));
      let address = ipToInt(base) + 2;
      while (used.has(intToIp(address))) address++;
      endpoint.ipAddress = intToIp(address);
      endpoint.prefixLen = Number(bits);
      endpoint.gateway = n.gateway;
      endpoint.macAddress = `02:42:${endpoint.ipAddress.split('.').map((p) => Number(p).toString(16).padStart(2, '0')).join(':')}`;
    }
    n.endpoints.set(containerId, { ...endpoint, name: containerName });
    return endpoint;
  }

  /** Detach a container. */
  disconnect(networkId: string, containerId: string): void {
    this.networks.get(networkId)?.endpoints.delete(containerId);
  }

  private find(idOrName: string): NetworkRecord {
    const all = [...this.networks.values()];
    const found = all.find((n) => n.name === idOrName) ?? all.find((n) => n.id === idOrName) ?? (idOrName.length > 0 ? all.find((n) => n.id.startsWith(idOrName)) : undefined);
    if (!found) throw new DaemonError(`network ${idOrName} not found`, 404);
    return found;
  }

  private add(name: string, driver: NetworkRecord['driver'], subnet: string, gateway: string, options: Record<string, string>, labels: Record<string, string> = {}): NetworkRecord {
    const record: NetworkRecord = { name, id: this.rng.string(HEX, 64), created: this.now(), driver, subnet, gateway, options, labels, endpoints: new Map() };
    this.networks.set(record.id, record);
    return record;
  }

  private toResource(n: NetworkRecord): NetworkResource {
    const containers: NetworkResource['Containers'] = {};
    for (const [id, e] of [...n.endpoints.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      containers[id] = { Name: e.name, EndpointID: e.endpointId, MacAddress: e.macAddress, IPv4Address: e.ipAddress ? `${e.ipAddress}/${e.prefixLen}` : '', IPv6Address: '' };
    }
    return {
      Name: n.name,
      Id: n.id,
      Created: rfc3339Nano(n.created),
      Scope: 'local',
      Driver: n.driver,
      EnableIPv6: false,
      IPAM: { Driver: 'default', Options: n.name === 'bridge' ? null : {}, Config: n.subnet ? [{ Subnet: n.subnet, Gateway: n.gateway }] : [] },
      Internal: false,
      Attachable: false,
      Ingress: false,
      ConfigFrom: { Network: '' },
      ConfigOnly: false,
      Containers: containers,
      Options: { ...n.options },
      Labels: { ...n.labels },
    };
  }
}
