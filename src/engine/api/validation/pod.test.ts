import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { validateObject, validateObjectUpdate } from './index.ts';
import { pod, text } from './testdata.ts';

function podWith(mutate: (p: Pod) => void): Pod {
  const p = pod();
  mutate(p);
  return p;
}

describe('Pod create', () => {
  it.each<[string, (p: Pod) => void, string[]]>([
    ['valid', () => {}, []],
    ['no containers', (p) => (p.spec!.containers = []), ['spec.containers: Required value']],
    ['no image', (p) => delete (p.spec!.containers[0] as { image?: string }).image, ['spec.containers[0].image: Required value']],
    [
      'duplicate container names',
      (p) => p.spec!.containers.push({ ...p.spec!.containers[0]!, ports: [] }),
      ['spec.containers[1].name: Duplicate value: "nginx"'],
    ],
    [
      'bad container name',
      (p) => (p.spec!.containers[0]!.name = 'Web'),
      [
        `spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
    ['port out of range', (p) => (p.spec!.containers[0]!.ports![0]!.containerPort = 70000), ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['bad protocol', (p) => (p.spec!.containers[0]!.ports![0]!.protocol = 'HTTP'), ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']],
    [
      'request above limit',
      (p) => (p.spec!.containers[0]!.resources = { requests: { cpu: '2' }, limits: { cpu: '1' } }),
      ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
    ],
    [
      'negative memory',
      (p) => (p.spec!.containers[0]!.resources = { requests: { memory: '-1Mi' } }),
      ['spec.containers[0].resources.requests[memory]: Invalid value: "-1Mi": must be greater than or equal to 0'],
    ],
    [
      'mount of a missing volume',
      (p) => (p.spec!.containers[0]!.volumeMounts = [{ name: 'data', mountPath: '/data' }]),
      ['spec.containers[0].volumeMounts[0].name: Not found: "data"'],
    ],
    ['volume without a source', (p) => (p.spec!.volumes = [{ name: 'data' }]), ['spec.volumes[0]: Required value: must specify a volume type']],
    [
      'volume with two sources',
      (p) => (p.spec!.volumes = [{ name: 'data', emptyDir: {}, configMap: { name: 'cfg' } }]),
      ['spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type'],
    ],
    ['configMap volume without a name', (p) => (p.spec!.volumes = [{ name: 'cfg', configMap: {} }]), ['spec.volumes[0].configMap.name: Required value']],
    ['restartPolicy', (p) => (p.spec!.restartPolicy = 'Sometimes'), ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']],
    [
      'dnsPolicy',
      (p) => (p.spec!.dnsPolicy = 'Cluster'),
      ['spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
    ],
    [
      'env var with "="',
      (p) => (p.spec!.containers[0]!.env = [{ name: 'A=B', value: 'x' }]),
      [`spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`],
    ],
    [
      'probe without handler, liveness success threshold',
      (p) => (p.spec!.containers[0]!.livenessProbe = { successThreshold: 2, periodSeconds: 10 }),
      ['spec.containers[0].livenessProbe: Required value: must specify a handler type', 'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
    ],
    [
      'toleration with no key and Equal',
      (p) => (p.spec!.tolerations = [{ operator: 'Equal', value: 'x' }]),
      ['spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"'],
    ],
    ['activeDeadlineSeconds', (p) => (p.spec!.activeDeadlineSeconds = 0), ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive']],
    [
      'hostname',
      (p) => (p.spec!.hostname = 'Web_1'),
      [
        `spec.hostname: Invalid value: "Web_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
    [
      'nodeSelector key',
      (p) => (p.spec!.nodeSelector = { 'a/b/c': 'x' }),
      [
        `spec.nodeSelector: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      ],
    ],
    [
      'node affinity without terms',
      (p) => (p.spec!.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }),
      ['spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term'],
    ],
    ['image pull policy', (p) => (p.spec!.containers[0]!.imagePullPolicy = 'Sometimes'), ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"']],
  ])('%s', (_, mutate, want) => {
    expect(text(validateObject('Pod', podWith(mutate), true))).toEqual(want);
  });
});

describe('Pod update', () => {
  const forbidden =
    'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n';

  it('allows a new image and an added toleration', () => {
    const next = podWith((p) => {
      p.spec!.containers[0]!.image = 'nginx:1.28';
      p.spec!.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }];
    });
    expect(text(validateObjectUpdate('Pod', next, pod(), true))).toEqual([]);
  });

  it('forbids other changes, with the diff', () => {
    const next = podWith((p) => (p.spec!.containers[0]!.ports![0]!.containerPort = 8080));
    const errs = text(validateObjectUpdate('Pod', next, pod(), true));
    expect(errs).toHaveLength(1);
    expect(errs[0]!.startsWith(forbidden)).toBe(true);
    expect(errs[0]).toContain('  core.PodSpec{\n  \t... // 2 identical fields\n- \tContainers: ');
  });

  it('refuses adding containers and a longer deadline', () => {
    const next = podWith((p) => p.spec!.containers.push({ name: 'b', image: 'busybox', imagePullPolicy: 'Always' }));
    expect(text(validateObjectUpdate('Pod', next, pod(), true))).toEqual(['spec.containers: Forbidden: pod updates may not add or remove containers']);
    const withDeadline = podWith((p) => (p.spec!.activeDeadlineSeconds = 10));
    const longer = podWith((p) => (p.spec!.activeDeadlineSeconds = 20));
    expect(text(validateObjectUpdate('Pod', longer, withDeadline, true))).toEqual(['spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value']);
  });
});
