import { describe, expect, it } from 'vitest';
import type { ResourceQuota } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { TestCluster } from '../../testing/testCluster.ts';

describe('resource quota controller', () => {
  it('writes status.hard and status.used, and frees usage when pods go', async () => {
    const tc = await TestCluster.start({ nodes: 1, controllers: ['resourcequota-controller', 'serviceaccount-controller'] });
    await tc.apply(`apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
spec:
  hard:
    pods: "4"
    requests.cpu: "2"
    requests.memory: 2Gi
    count/configmaps: "10"
`);
    await tc.tick('1s');
    await tc.apply(`apiVersion: v1
kind: Pod
metadata:
  name: a
spec:
  nodeName: worker-1
  containers:
  - name: app
    image: nginx
    resources:
      requests: {cpu: 250m, memory: 64Mi}
---
apiVersion: v1
kind: Pod
metadata:
  name: b
spec:
  nodeName: worker-1
  containers:
  - name: app
    image: nginx
    resources:
      requests: {cpu: 500m, memory: 1Gi}
`);
    await tc.tick('2s');
    let quota = await tc.get<ResourceQuota & KubeObject>('resourcequotas', 'compute');
    expect(quota?.status).toEqual({
      hard: { 'count/configmaps': '10', pods: '4', 'requests.cpu': '2', 'requests.memory': '2Gi' },
      used: { 'count/configmaps': '0', pods: '2', 'requests.cpu': '750m', 'requests.memory': '1088Mi' },
    });
    await tc.client.resource(RESOURCES.pods).delete('default', 'b', { gracePeriodSeconds: 0 });
    await tc.tick('2s');
    quota = await tc.get<ResourceQuota & KubeObject>('resourcequotas', 'compute');
    expect(quota?.status?.used).toEqual({ 'count/configmaps': '0', pods: '1', 'requests.cpu': '250m', 'requests.memory': '64Mi' });
    tc.stop();
  });
});
