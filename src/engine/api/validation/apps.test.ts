import type { DaemonSet, Deployment, StatefulSet } from 'kubernetes-types/apps/v1';
import { describe, expect, it } from 'vitest';
import { validateObject, validateObjectUpdate } from './index.ts';
import { deployment, podTemplate, text } from './testdata.ts';

function deploymentWith(mutate: (d: Deployment) => void): Deployment {
  const d = deployment();
  mutate(d);
  return d;
}

describe('Deployment', () => {
  it.each<[string, (d: Deployment) => void, string[]]>([
    ['valid', () => {}, []],
    ['no selector', (d) => delete (d.spec as { selector?: unknown }).selector, [
        'spec.selector: Required value',
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
      ]],
    [
      'selector does not match',
      (d) => (d.spec!.template.metadata!.labels = { app: 'x' }),
      ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`'],
    ],
    ['negative replicas', (d) => (d.spec!.replicas = -1), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    [
      'both zero',
      (d) => (d.spec!.strategy!.rollingUpdate = { maxSurge: 0, maxUnavailable: 0 }),
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
    ],
    [
      'maxUnavailable over 100%',
      (d) => (d.spec!.strategy!.rollingUpdate = { maxSurge: 1, maxUnavailable: '150%' }),
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 150%: must not be greater than 100%'],
    ],
    [
      'progress deadline',
      (d) => {
        d.spec!.minReadySeconds = 700;
      },
      ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds'],
    ],
    ['template restartPolicy', (d) => (d.spec!.template.spec!.restartPolicy = 'Never'), ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']],
    ['template container image', (d) => (d.spec!.template.spec!.containers[0]!.image = ''), ['spec.template.spec.containers[0].image: Required value']],
    [
      'Recreate with rollingUpdate',
      (d) => (d.spec!.strategy!.type = 'Recreate'),
      ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ],
  ])('%s', (_, mutate, want) => {
    expect(text(validateObject('Deployment.apps', deploymentWith(mutate), true))).toEqual(want);
  });

  it('keeps the selector immutable', () => {
    const next = deploymentWith((d) => {
      d.spec!.selector = { matchLabels: { app: 'web', tier: 'fe' } };
      d.spec!.template.metadata!.labels = { app: 'web', tier: 'fe' };
    });
    expect(text(validateObjectUpdate('Deployment.apps', next, deployment(), true))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"fe"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });

  it('says "deployment" for an empty ReplicaSet selector, as upstream', () => {
    const rs = { metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 1, selector: {}, template: podTemplate() } };
    expect(text(validateObject('ReplicaSet.apps', rs, true))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    ]);
  });
});

function statefulSet(): StatefulSet {
  return {
    metadata: { name: 'db', namespace: 'default', resourceVersion: '1' },
    spec: {
      serviceName: 'db',
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: podTemplate(),
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      volumeClaimTemplates: [],
    },
  };
}

describe('StatefulSet', () => {
  it('accepts a valid one', () => {
    expect(text(validateObject('StatefulSet.apps', statefulSet(), true))).toEqual([]);
  });

  it('allows replicas and template changes but not the rest', () => {
    const scaled = statefulSet();
    scaled.spec!.replicas = 3;
    expect(text(validateObjectUpdate('StatefulSet.apps', scaled, statefulSet(), true))).toEqual([]);
    const renamed = statefulSet();
    renamed.spec!.serviceName = 'other';
    expect(text(validateObjectUpdate('StatefulSet.apps', renamed, statefulSet(), true))).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });

  it('checks the management policy', () => {
    const s = statefulSet();
    s.spec!.podManagementPolicy = 'Any';
    expect(text(validateObject('StatefulSet.apps', s, true))).toEqual(["spec.podManagementPolicy: Invalid value: \"Any\": must be 'OrderedReady' or 'Parallel'"]);
  });
});

describe('DaemonSet', () => {
  const ds = (): DaemonSet => ({
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: podTemplate(),
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    },
  });
  it('accepts a valid one and rejects surge with unavailable', () => {
    expect(text(validateObject('DaemonSet.apps', ds(), true))).toEqual([]);
    const d = ds();
    d.spec!.updateStrategy!.rollingUpdate = { maxUnavailable: 1, maxSurge: 1 };
    expect(text(validateObject('DaemonSet.apps', d, true))).toEqual(['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero']);
  });
});
