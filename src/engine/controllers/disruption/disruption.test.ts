import { describe, expect, it } from 'vitest';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { TestCluster } from '../../testing/testCluster.ts';

const RS = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      nodeName: worker-1
      containers:
      - name: nginx
        image: nginx
`;

type Pdb = PodDisruptionBudget & KubeObject;

describe('disruption controller', () => {
  it.each([
    ['minAvailable: 2', { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3 }, 'SufficientPods'],
    ['minAvailable: "100%"', { currentHealthy: 3, desiredHealthy: 3, disruptionsAllowed: 0, expectedPods: 3 }, 'InsufficientPods'],
    ['maxUnavailable: 1', { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3 }, 'SufficientPods'],
    ['maxUnavailable: "50%"', { currentHealthy: 3, desiredHealthy: 1, disruptionsAllowed: 2, expectedPods: 3 }, 'SufficientPods'],
  ])('%s', async (rule, counts, reason) => {
    const tc = await TestCluster.start({ nodes: 1, controllers: ['disruption-controller', 'replicaset-controller', 'serviceaccount-controller'] });
    await tc.apply(RS);
    await tc.apply(`apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  ${rule}
  selector:
    matchLabels: {app: web}
`);
    await tc.tick('5s');
    const pdb = await tc.get<Pdb>('poddisruptionbudgets', 'web');
    expect(pdb?.status).toMatchObject({ ...counts, observedGeneration: 1 });
    expect(pdb?.status?.conditions?.[0]).toMatchObject({ type: 'DisruptionAllowed', status: reason === 'SufficientPods' ? 'True' : 'False', reason });
    tc.stop();
  });
});
