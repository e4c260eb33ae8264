/**
 * The service registry's allocators (pkg/registry/core/service/ipallocator and portallocator): a new
 * Service of type ClusterIP, NodePort or LoadBalancer gets a free cluster IP from the service CIDR
 * (kubeadm's 10.96.0.0/12) unless it asks for one or is headless (`None`); NodePort and LoadBalancer ports get
 * a free node port from 30000–32767. As upstream (KEP-3070, KEP-3668), dynamic allocation prefers the upper
 * band of each range, leaving the lower band for addresses users pick; a taken address or port is
 * refused with upstream's message. Single-stack IPv4, as a kubeadm cluster is by default.
 */
import type { Service, ServicePort } from 'kubernetes-types/core/v1';
import { field, type FieldError } from '../../api/field/errors.ts';
import { Path } from '../../api/field/path.ts';
import type { SeededRng } from '../../base/seededRng.ts';
import { SERVICE_CIDR } from '../bootstrap.ts';
import type { KindHooks } from './kindStrategy.ts';
import type { KubeObject } from './strategy.ts';

export const NODE_PORT_RANGE = { base: 30000, size: 2768 } as const;

interface Cidr {
  base: number;
  size: number;
}

function parseCidr(cidr: string): Cidr {
  const [ip, bits] = cidr.split('/');
  return { base: ipToInt(ip!), size: 2 ** (32 - Number(bits)) };
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The size of the lower band kept for static allocation: min(max(16, size/16), 256) (KEP-3070). */
function staticBand(size: number): number {
  return Math.min(Math.max(16, Math.floor(size / 16)), 256);
}

function usesClusterIP(svc: Service): boolean {
  return svc.spec?.type !== 'ExternalName';
}

function usesNodePorts(svc: Service): boolean {
  return svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer';
}

/**
 * Allocators over the services that exist now: `existing()` reads the registry's cache, so what is
 * allocated is always derived from stored Services, never kept on the side.
 */
export function serviceHooks(rng: SeededRng, existing: () => readonly KubeObject[]): KindHooks {
  const cidr = parseCidr(SERVICE_CIDR);

  const usedIPs = (): Set<string> => new Set(existing().flatMap((s) => (s as Service).spec?.clusterIPs ?? []));
  const usedPorts = (): Set<number> => new Set(existing().flatMap((s) => ((s as Service).spec?.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p > 0)));

  /** A random free slot in the upper band, scanning upward (then wrapping) as the bitmap allocator does. */
  const pick = (base: number, size: number, taken: (n: number) => boolean): number | undefined => {
    // The network and broadcast addresses are never handed out for IPs (first and last slots).
    const lowerBand = staticBand(size);
    const start = lowerBand + rng.int(size - lowerBand);
    for (let i = 0; i < size; i++) {
      const offset = ((start - lowerBand + i) % (size - lowerBand)) + lowerBand;
      if (!taken(base + offset)) return base + offset;
    }
    for (let offset = 0; offset < lowerBand; offset++) if (!taken(base + offset)) return base + offset;
    return undefined;
  };

  return {
    prepareForCreate(object: KubeObject) {
      const svc = object as Service;
      const spec = (svc.spec ??= {});
      if (usesClusterIP(svc) && !spec.clusterIP) {
        const ips = usedIPs();
        const n = pick(cidr.base + 1, cidr.size - 2, (ip) => ips.has(intToIp(ip)));
        if (n !== undefined) spec.clusterIP = intToIp(n);
      }
      if (usesClusterIP(svc) && spec.clusterIP) {
        spec.clusterIPs = [spec.clusterIP];
        spec.ipFamilies ??= ['IPv4'];
        spec.ipFamilyPolicy ??= 'SingleStack';
      }
      if (usesNodePorts(svc)) {
        const ports = usedPorts();
        for (const p of spec.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
        for (const p of spec.ports ?? []) {
          if (p.nodePort) continue;
          const n = pick(NODE_PORT_RANGE.base, NODE_PORT_RANGE.size, (port) => ports.has(port));
          if (n !== undefined) {
            p.nodePort = n;
            ports.add(n);
          }
        }
      }
    },
    prepareForUpdate(object: KubeObject, old: KubeObject) {
      const spec = ((object as Service).spec ??= {});
      const oldSpec = (old as Service).spec ?? {};
      // An update that leaves out the allocated values keeps them (kubectl apply never sends them).
      if (!spec.clusterIP && oldSpec.clusterIP && usesClusterIP(object as Service)) {
        spec.clusterIP = oldSpec.clusterIP;
        spec.clusterIPs = oldSpec.clusterIPs;
      }
      if (usesNodePorts(object as Service)) {
        for (const p of spec.ports ?? []) {
          if (p.nodePort) continue;
          const was = (oldSpec.ports ?? []).find((o) => samePort(o, p));
          if (was?.nodePort) p.nodePort = was.nodePort;
        }
      }
    },
    validate(object: KubeObject): FieldError[] {
      const svc = object as Service;
      const problems: FieldError[] = [];
      const ip = svc.spec?.clusterIP;
      if (ip && ip !== 'None' && usedIPs().has(ip)) {
        problems.push(field.invalid(Path.of('spec', 'clusterIPs').index(0), ip, 'failed to allocate IP ' + ip + ': provided IP is already allocated'));
      }
      const ports = usedPorts();
      (svc.spec?.ports ?? []).forEach((p, i) => {
        if (p.nodePort && ports.has(p.nodePort)) {
          problems.push(field.invalid(Path.of('spec', 'ports').index(i).child('nodePort'), p.nodePort, 'provided port is already allocated'));
        }
      });
      return problems;
    },
  };
}

function samePort(a: ServicePort, b: ServicePort): boolean {
  return a.port === b.port && (a.protocol ?? 'TCP') === (b.protocol ?? 'TCP');
}
