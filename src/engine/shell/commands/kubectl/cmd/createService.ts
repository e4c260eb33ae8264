/**
 * `kubectl create service clusterip|nodeport|loadbalancer|externalname`
 * (k8s.io/kubectl/pkg/cmd/create/create_service.go): a Service labelled and selecting `app: NAME`, one
 * port per `--tcp=port[:targetPort]` named after the specifier, `--node-port` on each port of a
 * NodePort service, `--clusterip` (`None` makes a headless service that needs no port).
 */
import { KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { intFlag } from './createWorkloads.ts';
import { createObject, enforcedNamespace, nameArg, objectMeta, requireFlags, type Obj } from './generator.ts';

type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** parsePorts: `80` or `80:8080` or `80:http`. */
function parsePorts(spec: string): { port: number; targetPort: number | string } {
  const [first = '', second] = spec.split(':');
  const port = Number(first);
  if (!/^\d+$/.test(first)) throw new KubectlError(`error: strconv.ParseUint: parsing "${first}": invalid syntax`);
  if (port === 0 || port > 65535) throw new KubectlError(`error: port "${first}" out of range`);
  if (second === undefined) return { port, targetPort: port };
  if (/^[-+]?\d+$/.test(second)) {
    const target = Number(second);
    if (target < 1 || target > 65535) throw new KubectlError('error: must be between 1 and 65535, inclusive');
    return { port, targetPort: target };
  }
  if (second.length > 15 || !PORT_NAME.test(second) || !/[a-z]/.test(second) || second.includes('--')) {
    throw new KubectlError(`error: must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`);
  }
  return { port, targetPort: second };
}

function runCreateService(type: ServiceType): (f: Factory, flags: ParsedFlags, args: string[]) => Promise<number> {
  const path = `kubectl create service ${type.toLowerCase()}`;
  return async (f, flags, args) => {
    if (type === 'ExternalName') requireFlags(flags, 'external-name');
    const name = nameArg(path, args);
    const tcp = type === 'ExternalName' ? [] : flags.list('tcp');
    const clusterIP = type === 'ClusterIP' ? flags.string('clusterip') : '';
    const nodePort = type === 'NodePort' ? intFlag(flags, 'node-port', '--node-port', path) : 0;
    const externalName = type === 'ExternalName' ? flags.string('external-name') : '';
    if (tcp.length === 0 && type !== 'ExternalName' && clusterIP !== 'None') throw new KubectlError('error: at least one tcp port specifier must be provided');
    if (type === 'ExternalName' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(externalName)) {
      throw new KubectlError(`error: invalid service external name ${externalName}`);
    }
    const ports = tcp.map((spec) => {
      const { port, targetPort } = parsePorts(spec);
      return { name: spec.replaceAll(':', '-'), protocol: 'TCP', port, targetPort, ...(nodePort ? { nodePort } : {}) };
    });
    const service: Obj = {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: objectMeta({ name, namespace: enforcedNamespace(f), labels: { app: name } }),
      spec: {
        ...(ports.length ? { ports } : {}),
        selector: { app: name },
        ...(clusterIP ? { clusterIP } : {}),
        type,
        ...(externalName ? { externalName } : {}),
      },
      status: { loadBalancer: {} },
    };
    return createObject(f, flags, service, { group: '', version: 'v1', resource: 'services', namespaced: true }, { wrap: (m) => `failed to create ${type} service: ${m}` });
  };
}

export const runCreateServiceClusterIP = runCreateService('ClusterIP');
export const runCreateServiceNodePort = runCreateService('NodePort');
export const runCreateServiceLoadBalancer = runCreateService('LoadBalancer');
export const runCreateServiceExternalName = runCreateService('ExternalName');
