import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../base/seededRng.ts';
import { StatusError } from '../../api/errors.ts';
import type { KubeObject } from '../registry/strategy.ts';
import { AdmissionChain, type AdmissionLookup, type Attributes } from './admission.ts';
import { DefaultTolerationSeconds } from './defaultTolerationSeconds.ts';
import { NamespaceLifecycle } from './namespaceLifecycle.ts';
import { Priority } from './priority.ts';
import { SERVICE_ACCOUNT_MOUNT_PATH, ServiceAccountAdmission } from './serviceAccount.ts';

function lookupOf(objects: Record<string, KubeObject>): AdmissionLookup {
  return {
    get: (g, r, ns, name) => objects[`${g}/${r}/${ns}/${name}`],
    list: (g, r, ns) => Object.entries(objects).filter(([k]) => k.startsWith(`${g}/${r}/${ns}/`)).map(([, v]) => v),
  };
}

const cluster = lookupOf({
  '/namespaces//default': { metadata: { name: 'default' }, status: { phase: 'Active' } },
  '/namespaces//old': { metadata: { name: 'old', deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Terminating' } },
  '/serviceaccounts/default/default': { metadata: { name: 'default' } },
  '/serviceaccounts/default/quiet': { metadata: { name: 'quiet' }, automountServiceAccountToken: false },
  'scheduling.k8s.io/priorityclasses//high': { metadata: { name: 'high' }, value: 1000, preemptionPolicy: 'Never' },
  'scheduling.k8s.io/priorityclasses//system-node-critical': { metadata: { name: 'system-node-critical' }, value: 2000001000 },
});

const admin = { username: 'kubernetes-admin', groups: ['system:masters'] };

function podCreate(spec: Record<string, unknown>, namespace = 'default'): Attributes {
  return {
    operation: 'CREATE',
    resource: { group: '', resource: 'pods' },
    kind: 'Pod',
    subresource: '',
    namespace,
    name: 'web',
    object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } },
    oldObject: undefined,
    user: admin,
    dryRun: false,
  };
}

const chain = new AdmissionChain([new NamespaceLifecycle(), new ServiceAccountAdmission(new SeededRng(1)), new DefaultTolerationSeconds(), new Priority()], cluster);

function admitted(a: Attributes) {
  chain.admit(a);
  chain.validate(a);
  return a.object!.spec as Record<string, unknown> & { containers: Array<{ volumeMounts?: unknown[] }>; volumes?: Array<{ name: string }> };
}

describe('admission', () => {
  it('gives a pod the default service account and its projected API credentials', () => {
    const spec = admitted(podCreate({}));
    expect(spec.serviceAccountName).toBe('default');
    expect(spec.serviceAccount).toBe('default');
    expect(spec.volumes![0]!.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(spec.containers[0]!.volumeMounts).toEqual([{ name: spec.volumes![0]!.name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }]);
  });

  it('leaves credentials out when the service account opts out', () => {
    const spec = admitted(podCreate({ serviceAccountName: 'quiet' }));
    expect(spec.volumes).toBeUndefined();
  });

  it('adds the two 300-second NoExecute tolerations unless present', () => {
    const spec = admitted(podCreate({ tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }] }));
    expect(spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  it('resolves priority from the class, and 0 with none', () => {
    expect(admitted(podCreate({ priorityClassName: 'high' }))).toMatchObject({ priority: 1000, preemptionPolicy: 'Never' });
    expect(admitted(podCreate({}))).toMatchObject({ priority: 0, preemptionPolicy: 'PreemptLowerPriority' });
  });

  it.each([
    [podCreate({ serviceAccountName: 'ghost' }), 403, 'pods "web" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found'],
    [podCreate({ priorityClassName: 'nope' }), 403, 'pods "web" is forbidden: no PriorityClass with name nope was found'],
    [podCreate({ priorityClassName: 'system-node-critical' }), 403, 'pods "web" is forbidden: pods with system-node-critical priorityClass is not permitted in default namespace'],
    [podCreate({}, 'missing'), 404, 'namespaces "missing" not found'],
    [podCreate({}, 'old'), 403, 'pods "web" is forbidden: unable to create new content in namespace old because it is being terminated'],
  ])('refuses %#: %i %s', (attributes, code, message) => {
    let caught: unknown;
    try {
      admitted(attributes);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(StatusError);
    expect((caught as StatusError).code).toBe(code);
    expect((caught as StatusError).message).toBe(message);
  });

  it('keeps the immortal namespaces', () => {
    const del: Attributes = { ...podCreate({}), operation: 'DELETE', resource: { group: '', resource: 'namespaces' }, kind: 'Namespace', name: 'kube-system', namespace: '', object: undefined };
    expect(() => chain.validate(del)).toThrow('namespaces "kube-system" is forbidden: this namespace may not be deleted');
  });

  it('reports each plugin\'s verdict', () => {
    const verdicts: string[] = [];
    const traced = new AdmissionChain([new DefaultTolerationSeconds(), new NamespaceLifecycle()], cluster, (p, phase, outcome) => verdicts.push(`${p}/${phase}/${outcome}`));
    const a = podCreate({}, 'missing');
    traced.admit(a);
    expect(() => traced.validate(a)).toThrow();
    expect(verdicts).toEqual(['DefaultTolerationSeconds/mutating/ok', 'NamespaceLifecycle/validating/denied']);
  });
});
