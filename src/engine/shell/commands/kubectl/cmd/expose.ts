/**
 * `kubectl expose TYPE NAME` (k8s.io/kubectl/pkg/cmd/expose/expose.go): a Service for a pod, service,
 * deployment, replica set or replication controller. What the flags leave out is read from the object:
 * the selector (a pod's labels, the others' selectors, which must be map-based), the ports and their
 * protocols (its containers' ports, or a service's ports), the labels (the object's), the name.
 * Each port's target port is `--target-port`, else the port itself; several ports are named `port-N`.
 *
 * Left out: `-f` manifests, `--overrides`, `--port-name`, `--container-port`'s deprecated alias.
 */
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { KubectlError, usageError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { createObject, goMap, objectMeta, type Obj } from './generator.ts';

const EXPOSABLE = ['Pod', 'Service', 'ReplicationController', 'Deployment', 'ReplicaSet'];
const PATH = 'kubectl expose';

interface PodSpecLike {
  containers?: Array<{ ports?: Array<{ containerPort?: number; protocol?: string }> }>;
}

/** The pod spec the object runs (a pod's own, or its template's). */
function podSpecOf(object: KubeObject): PodSpecLike | undefined {
  const spec = (object.spec ?? {}) as { template?: { spec?: PodSpecLike } } & PodSpecLike;
  return object.kind === 'Pod' ? spec : spec.template?.spec;
}

/** MapBasedSelectorForObject, as `k=v,…`. */
function selectorFor(object: KubeObject): Record<string, string> {
  const spec = (object.spec ?? {}) as { selector?: Record<string, unknown> };
  switch (object.kind) {
    case 'Pod': {
      const labels = object.metadata?.labels ?? {};
      if (Object.keys(labels).length === 0) throw new KubectlError('the pod has no labels and cannot be exposed');
      return labels;
    }
    case 'Service': {
      const selector = (spec.selector ?? {}) as Record<string, string>;
      if (Object.keys(selector).length === 0) throw new KubectlError('the service has no pod selector set');
      return selector;
    }
    case 'ReplicationController':
      return (spec.selector ?? {}) as Record<string, string>;
    default: {
      const selector = (spec.selector ?? {}) as { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
      if (selector.matchExpressions?.length) throw new KubectlError(`couldn't convert expressions - "${JSON.stringify(selector.matchExpressions)}" to map-based selector format`);
      return selector.matchLabels ?? {};
    }
  }
}

/** PortsForObject and ProtocolsForObject together: each port with its protocols. */
function portsFor(object: KubeObject): Array<{ port: string; protocols: string[] }> {
  const out: Array<{ port: string; protocols: string[] }> = [];
  const add = (port: number | undefined, protocol: string | undefined) => {
    if (port === undefined) return;
    const key = String(port);
    const existing = out.find((p) => p.port === key);
    const proto = protocol || 'TCP';
    if (existing) {
      if (!existing.protocols.includes(proto)) existing.protocols.push(proto);
    } else out.push({ port: key, protocols: [proto] });
  };
  if (object.kind === 'Service') {
    for (const p of ((object.spec as { ports?: Array<{ port?: number; protocol?: string }> } | undefined)?.ports ?? [])) add(p.port, p.protocol);
  } else {
    for (const c of podSpecOf(object)?.containers ?? []) for (const p of c.ports ?? []) add(p.containerPort, p.protocol);
  }
  return out;
}

function parseLabels(spec: string): Record<string, string> | undefined {
  return goMap(
    spec.split(',').filter((p) => p !== '').map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) throw new KubectlError(`error: invalid label spec: ${pair}`);
      return [pair.slice(0, eq), pair.slice(eq + 1)] as const;
    }),
  );
}

export async function runExpose(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  if (args.length === 0) {
    throw new KubectlError("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  }
  let type = args[0] ?? '';
  let name = args[1] ?? '';
  if (type.includes('/')) [type = '', name = ''] = type.split('/');
  if (!name) throw new KubectlError('error: resource(s) were provided, but no name was specified');
  const mapper = await f.mapper();
  const mapping = mapper.resourceFor(type);
  const namespace = f.namespace();
  const object = await f.client().resource(mapping).get(namespace.namespace, name);
  if (!EXPOSABLE.includes(mapping.kind)) throw new KubectlError(`error: cannot expose a ${mapping.kind}${mapping.group ? `.${mapping.group}` : ''}`);

  let selector: Record<string, string> | undefined;
  try {
    selector = flags.string('selector') ? parseLabels(flags.string('selector')) : goMap(Object.entries(selectorFor(object)));
  } catch (e) {
    if (e instanceof KubectlError && !e.message.startsWith('error: ')) throw usageError(PATH, `couldn't retrieve selectors via --selector flag or introspection: ${e.message}`);
    throw e;
  }
  const clusterIP = flags.string('cluster-ip');
  const derived = portsFor(object);
  const portList = flags.string('port') ? [flags.string('port')] : derived.map((p) => p.port);
  if (portList.length === 0 && clusterIP !== 'None') throw usageError(PATH, "couldn't find port via --port flag or introspection");
  const protocolFlag = flags.string('protocol');
  const ports: Obj[] = [];
  portList.forEach((portString, i) => {
    const port = Number(portString);
    if (!/^\d+$/.test(portString)) throw new KubectlError(`error: strconv.Atoi: parsing "${portString}": invalid syntax`);
    const name = portList.length > 1 ? `port-${i + 1}` : undefined;
    const known = derived.find((p) => p.port === portString)?.protocols ?? [];
    if (!protocolFlag && known.length > 1) {
      for (const proto of known) ports.push({ name: `port-${i + 1}-${proto.toLowerCase()}`, protocol: proto, port });
      return;
    }
    ports.push({ name, protocol: protocolFlag || known[0] || 'TCP', port });
  });
  const target = flags.string('target-port');
  for (const p of ports) p.targetPort = target ? (/^[-+]?\d+$/.test(target) ? Number(target) : target) : p.port;
  const type_ = flags.string('type');
  const affinity = flags.string('session-affinity');
  if (affinity && affinity !== 'None' && affinity !== 'ClientIP') throw new KubectlError(`error: unknown session affinity: ${affinity}`);
  const labels = flags.string('labels') ? parseLabels(flags.string('labels')) : goMap(Object.entries(object.metadata?.labels ?? {}));
  const service: Obj = {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: objectMeta({ name: flags.string('name') || name, namespace: namespace.explicit ? namespace.namespace : undefined, labels }),
    spec: {
      ports,
      selector,
      clusterIP: clusterIP || undefined,
      type: type_ || undefined,
      externalIPs: flags.string('external-ip') ? [flags.string('external-ip')] : undefined,
      sessionAffinity: affinity || undefined,
      loadBalancerIP: type_ === 'LoadBalancer' ? flags.string('load-balancer-ip') || undefined : undefined,
    },
    status: { loadBalancer: {} },
  };
  return createObject(f, flags, service, { group: '', version: 'v1', resource: 'services', namespaced: true }, { operation: 'exposed', fieldManager: 'kubectl-expose' });
}
