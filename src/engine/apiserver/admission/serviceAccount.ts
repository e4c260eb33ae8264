/**
 * ServiceAccount — every pod runs as a service account (`default` unless it names one, which must
 * exist), and unless it opts out gets the API credentials projected into each container at
 * /var/run/secrets/kubernetes.io/serviceaccount: a `kube-api-access-<5 chars>` volume with the bound
 * token, the cluster CA (kube-root-ca.crt) and the namespace.
 */
import { errors } from '../../api/errors.ts';
import type { SeededRng } from '../../base/seededRng.ts';
import type { Attributes, AdmissionLookup, MutatingPlugin, ValidatingPlugin } from './admission.ts';

export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

interface PodSpecLike {
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  volumes?: Array<{ name: string; projected?: { sources?: Array<{ serviceAccountToken?: unknown }> } } & Record<string, unknown>>;
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
  ephemeralContainers?: ContainerLike[];
}

interface ContainerLike {
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}

export class ServiceAccountAdmission implements MutatingPlugin, ValidatingPlugin {
  readonly name = 'ServiceAccount';

  constructor(private readonly rng: SeededRng) {}

  admit(a: Attributes, lookup: AdmissionLookup): void {
    if (!isPodCreate(a)) return;
    const spec = (a.object!.spec ?? {}) as PodSpecLike;
    // Mirror pods (static pods from a kubelet) are left alone.
    if (a.object!.metadata?.annotations?.['kubernetes.io/config.mirror']) return;
    if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || 'default';
    spec.serviceAccount = spec.serviceAccountName;
    const sa = lookup.get('', 'serviceaccounts', a.namespace, spec.serviceAccountName);
    const automount = spec.automountServiceAccountToken ?? (sa?.automountServiceAccountToken as boolean | undefined) ?? true;
    if (!automount) return;
    const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
    if (containers.some((c) => (c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH))) return;
    const existing = (spec.volumes ?? []).find((v) => v.name.startsWith('kube-api-access-') && v.projected?.sources?.some((s) => s.serviceAccountToken));
    const volumeName = existing?.name ?? `kube-api-access-${this.rng.string(ALPHABET, 5)}`;
    if (!existing) {
      spec.volumes = [...(spec.volumes ?? []), projectedTokenVolume(volumeName)];
    }
    for (const c of containers) c.volumeMounts = [...(c.volumeMounts ?? []), { name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }];
    a.object!.spec = spec;
  }

  validate(a: Attributes, lookup: AdmissionLookup): void {
    if (!isPodCreate(a)) return;
    const spec = (a.object!.spec ?? {}) as PodSpecLike;
    if (a.object!.metadata?.annotations?.['kubernetes.io/config.mirror']) return;
    const name = spec.serviceAccountName ?? 'default';
    if (!lookup.get('', 'serviceaccounts', a.namespace, name)) {
      throw errors.forbidden(a.resource, a.name, `error looking up service account ${a.namespace}/${name}: serviceaccount "${name}" not found`);
    }
  }
}

function isPodCreate(a: Attributes): boolean {
  return a.operation === 'CREATE' && a.resource.group === '' && a.resource.resource === 'pods' && a.subresource === '' && a.object !== undefined;
}

/** The projected volume upstream adds, field for field. */
export function projectedTokenVolume(name: string): { name: string; projected: Record<string, unknown> } {
  return {
    name,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      defaultMode: 420,
    },
  };
}
