/**
 * Fixtures for the validation tests: defaulted objects as the apiserver validates them.
 */
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1';

export function podTemplate(labels: Record<string, string> = { app: 'web' }): PodTemplateSpec {
  return {
    metadata: { labels },
    spec: {
      containers: [{ name: 'nginx', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
    },
  };
}

export function pod(): Pod {
  const t = podTemplate();
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', resourceVersion: '5', uid: 'u1' }, spec: t.spec! };
}

export function deployment(): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', resourceVersion: '5' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: podTemplate(),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  };
}

export const text = (errs: readonly { toString(): string }[]): string[] => errs.map(String);
