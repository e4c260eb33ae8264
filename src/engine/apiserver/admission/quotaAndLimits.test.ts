import { describe, expect, it } from 'vitest';
import { StatusError } from '../../api/errors.ts';
import type { KubeObject } from '../registry/strategy.ts';
import type { AdmissionLookup, Attributes } from './admission.ts';
import { LimitRanger } from './limitRanger.ts';
import { ResourceQuotaAdmission } from './resourceQuota.ts';

function lookupOf(objects: Record<string, KubeObject>): AdmissionLookup {
  return {
    get: (g, r, ns, name) => objects[`${g}/${r}/${ns}/${name}`],
    list: (g, r, ns) => Object.entries(objects).filter(([k]) => k.startsWith(`${g}/${r}/${ns}/`)).map(([, v]) => v),
  };
}

function create(resource: string, object: KubeObject): Attributes {
  return {
    operation: 'CREATE',
    resource: { group: '', resource },
    kind: 'Pod',
    subresource: '',
    namespace: 'team',
    name: object.metadata!.name!,
    object,
    oldObject: undefined,
    user: { username: 'u', groups: [] },
    dryRun: false,
  };
}

const pod = (name: string, resources?: Record<string, Record<string, string>>, phase = 'Running'): KubeObject => ({
  metadata: { name, namespace: 'team' },
  spec: { containers: [{ name: 'app', image: 'nginx', ...(resources ? { resources } : {}) }] },
  status: { phase },
});

function refusal(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e.message;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('LimitRanger', () => {
  // As stored: the LimitRange defaulter copies `default` into a missing `defaultRequest`.
  const ranges = lookupOf({
    '/limitranges/team/limits': {
      metadata: { name: 'limits' },
      spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '256Mi' }, max: { cpu: '1' }, min: { memory: '64Mi' } }] },
    },
  });
  const plugin = new LimitRanger();

  it('fills default requests and limits and records what it set', () => {
    const a = create('pods', pod('web'));
    plugin.admit(a, ranges);
    plugin.validate(a, ranges);
    const c = (a.object!.spec as { containers: Array<{ resources: unknown }> }).containers[0]!;
    expect(c.resources).toEqual({ limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '256Mi' } });
    expect(a.object!.metadata!.annotations!['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app');
  });

  it('refuses a container over the maximum or under the minimum, in upstream words', () => {
    const a = create('pods', pod('big', { limits: { cpu: '2', memory: '32Mi' }, requests: { cpu: '2', memory: '32Mi' } }));
    plugin.admit(a, ranges);
    expect(refusal(() => plugin.validate(a, ranges))).toBe(
      'pods "big" is forbidden: [minimum memory usage per Container is 64Mi, but request is 32Mi, minimum memory usage per Container is 64Mi, but limit is 32Mi, maximum cpu usage per Container is 1, but limit is 2, maximum cpu usage per Container is 1, but request is 2]',
    );
  });
});

describe('ResourceQuota admission', () => {
  const plugin = new ResourceQuotaAdmission();

  it('counts objects against hard limits, ignoring finished pods', () => {
    const cluster = lookupOf({
      '/resourcequotas/team/objects': { metadata: { name: 'objects' }, spec: { hard: { pods: '2' } } },
      '/pods/team/a': pod('a'),
      '/pods/team/done': pod('done', undefined, 'Succeeded'),
    });
    expect(() => plugin.validate(create('pods', pod('b')), cluster)).not.toThrow();
    const full = lookupOf({
      '/resourcequotas/team/objects': { metadata: { name: 'objects' }, spec: { hard: { pods: '2' } } },
      '/pods/team/a': pod('a'),
      '/pods/team/b': pod('b'),
    });
    expect(refusal(() => plugin.validate(create('pods', pod('c')), full))).toBe('pods "c" is forbidden: exceeded quota: objects, requested: pods=1, used: pods=2, limited: pods=2');
  });

  it('sums compute requests, and requires containers to state them', () => {
    const cluster = lookupOf({
      '/resourcequotas/team/compute': { metadata: { name: 'compute' }, spec: { hard: { 'requests.cpu': '1', 'limits.memory': '1Gi' } } },
      '/pods/team/a': pod('a', { requests: { cpu: '700m' }, limits: { memory: '512Mi' } }),
    });
    expect(refusal(() => plugin.validate(create('pods', pod('b', { requests: { cpu: '500m' }, limits: { memory: '256Mi' } })), cluster))).toBe(
      'pods "b" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=700m, limited: requests.cpu=1',
    );
    expect(refusal(() => plugin.validate(create('pods', pod('c')), cluster))).toBe('pods "c" is forbidden: failed quota: compute: must specify limits.memory for: app; requests.cpu for: app');
  });
});
