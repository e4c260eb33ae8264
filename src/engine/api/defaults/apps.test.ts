import { describe, expect, it } from 'vitest';
import { applyDefaults } from './index.ts';

type Json = Record<string, unknown>;

function defaulted(groupKind: string, object: Json): Json {
  const copy = structuredClone(object);
  applyDefaults(groupKind, copy);
  return copy;
}

const selector = { matchLabels: { app: 'web' } };

/** A pod template as a manifest gives it. */
const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '500m' } } }] },
};

/**
 * The same template defaulted as a template: the pod spec's defaults, no enableServiceLinks and no
 * requests copied from limits (those are SetDefaults_Pod's, for Pods only).
 */
const defaultedTemplate = {
  metadata: { creationTimestamp: null, labels: { app: 'web' } },
  spec: {
    containers: [
      {
        name: 'nginx',
        image: 'nginx:1.27',
        imagePullPolicy: 'IfNotPresent',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: { limits: { cpu: '500m' } },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
  },
};

describe('apps/v1', () => {
  it.each<[string, string, Json, Json]>([
    [
      'a Deployment',
      'Deployment.apps',
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector, template } },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: {
          replicas: 1,
          selector,
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
          revisionHistoryLimit: 10,
          progressDeadlineSeconds: 600,
          template: defaultedTemplate,
        },
      },
    ],
    [
      'a Deployment that recreates and keeps its own numbers',
      'Deployment.apps',
      { metadata: { name: 'web' }, spec: { replicas: 0, revisionHistoryLimit: 0, strategy: { type: 'Recreate' }, selector, template } },
      {
        metadata: { name: 'web' },
        spec: { replicas: 0, revisionHistoryLimit: 0, progressDeadlineSeconds: 600, strategy: { type: 'Recreate' }, selector, template: defaultedTemplate },
      },
    ],
    [
      'a Deployment with half a rolling update',
      'Deployment.apps',
      { metadata: { name: 'web' }, spec: { strategy: { rollingUpdate: { maxSurge: 1 } }, selector, template } },
      {
        metadata: { name: 'web' },
        spec: {
          replicas: 1,
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } },
          revisionHistoryLimit: 10,
          progressDeadlineSeconds: 600,
          selector,
          template: defaultedTemplate,
        },
      },
    ],
    [
      'a ReplicaSet',
      'ReplicaSet.apps',
      { metadata: { name: 'web-5d4f8c7b9' }, spec: { selector, template } },
      { metadata: { name: 'web-5d4f8c7b9' }, spec: { replicas: 1, selector, template: defaultedTemplate } },
    ],
    [
      'a StatefulSet with a volume claim template',
      'StatefulSet.apps',
      {
        metadata: { name: 'web' },
        spec: {
          serviceName: 'web',
          selector,
          template,
          volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
        },
      },
      {
        metadata: { name: 'web' },
        spec: {
          serviceName: 'web',
          replicas: 1,
          selector,
          template: defaultedTemplate,
          podManagementPolicy: 'OrderedReady',
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
          revisionHistoryLimit: 10,
          persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
          volumeClaimTemplates: [
            {
              apiVersion: 'v1',
              kind: 'PersistentVolumeClaim',
              metadata: { name: 'www', creationTimestamp: null },
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
              status: { phase: 'Pending' },
            },
          ],
        },
      },
    ],
    [
      'a StatefulSet that names RollingUpdate gets no partition; OnDelete none either',
      'StatefulSet.apps',
      { metadata: { name: 'web' }, spec: { serviceName: 'web', podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate' }, selector, template } },
      {
        metadata: { name: 'web' },
        spec: {
          serviceName: 'web',
          replicas: 1,
          selector,
          template: defaultedTemplate,
          podManagementPolicy: 'Parallel',
          updateStrategy: { type: 'RollingUpdate' },
          revisionHistoryLimit: 10,
          persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        },
      },
    ],
    [
      'a StatefulSet with half a retention policy',
      'StatefulSet.apps',
      { metadata: { name: 'web' }, spec: { serviceName: 'web', updateStrategy: { type: 'OnDelete' }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' }, selector, template } },
      {
        metadata: { name: 'web' },
        spec: {
          serviceName: 'web',
          replicas: 1,
          selector,
          template: defaultedTemplate,
          podManagementPolicy: 'OrderedReady',
          updateStrategy: { type: 'OnDelete' },
          revisionHistoryLimit: 10,
          persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
        },
      },
    ],
    [
      'a DaemonSet',
      'DaemonSet.apps',
      { metadata: { name: 'agent' }, spec: { selector, template } },
      {
        metadata: { name: 'agent' },
        spec: {
          selector,
          template: defaultedTemplate,
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
          revisionHistoryLimit: 10,
        },
      },
    ],
    [
      'a DaemonSet updated on delete',
      'DaemonSet.apps',
      { metadata: { name: 'agent' }, spec: { updateStrategy: { type: 'OnDelete' }, selector, template } },
      { metadata: { name: 'agent' }, spec: { updateStrategy: { type: 'OnDelete' }, revisionHistoryLimit: 10, selector, template: defaultedTemplate } },
    ],
    ['a ControllerRevision: nothing', 'ControllerRevision.apps', { metadata: { name: 'web-1' }, revision: 1, data: {} }, { metadata: { name: 'web-1' }, revision: 1, data: {} }],
  ])('%s', (_name, groupKind, manifest, expected) => {
    expect(defaulted(groupKind, manifest)).toStrictEqual(expected);
  });
});
