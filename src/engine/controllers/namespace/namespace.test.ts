import { describe, expect, it } from 'vitest';
import type { Namespace } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { TestCluster } from '../../testing/testCluster.ts';

describe('namespace controller', () => {
  it('deletes a namespace\'s content, waits for pods to go, reports progress, then the namespace goes', async () => {
    const tc = await TestCluster.start({ nodes: 1, controllers: ['namespace-controller', 'serviceaccount-controller'], nodeDelays: { delete: 20_000, jitter: 0 } });
    await tc.apply(`apiVersion: v1
kind: Namespace
metadata:
  name: dev
`);
    await tc.tick('1s');
    await tc.apply(`apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: dev
---
apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: dev
spec:
  nodeName: worker-1
  containers:
  - name: app
    image: nginx
`);
    await tc.tick('3s');
    await tc.client.resource(RESOURCES.namespaces).delete('', 'dev');
    await tc.tick('2s');
    const ns = await tc.get<Namespace & KubeObject>('namespaces', 'dev');
    expect(ns?.status?.phase).toBe('Terminating');
    expect(ns?.status?.conditions?.find((c) => c.type === 'NamespaceContentRemaining')).toMatchObject({ status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: pods. has 1 resource instances' });
    expect(await tc.get('configmaps', 'settings', 'dev')).toBeUndefined();
    expect(await tc.get('pods', 'app', 'dev')).toBeDefined();
    await tc.tick('40s');
    expect(await tc.get('pods', 'app', 'dev')).toBeUndefined();
    expect(await tc.get('namespaces', 'dev')).toBeUndefined();
    tc.stop();
  });
});
