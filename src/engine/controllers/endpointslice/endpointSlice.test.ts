import { describe, expect, it } from 'vitest';
import type { Endpoints } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { TestCluster } from '../../testing/testCluster.ts';

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: web}
`;

const pod = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: web}
spec:
  nodeName: worker-1
  containers:
  - name: nginx
    image: nginx
    ports:
    - {name: web, containerPort: 8080}
`;

type Slice = EndpointSlice & KubeObject;

async function cluster() {
  return TestCluster.start({ nodes: 1, controllers: ['endpoints-controller', 'endpointslice-controller', 'serviceaccount-controller', 'garbage-collector-controller'] });
}

describe('Endpoints and EndpointSlice controllers', () => {
  it('keep a placeholder slice and empty Endpoints for a service with no pods', async () => {
    const tc = await cluster();
    await tc.apply(SERVICE);
    await tc.tick('1s');
    const [slice] = await tc.list<Slice>('endpointslices', 'default', 'kubernetes.io/service-name=web');
    expect(slice).toMatchObject({ addressType: 'IPv4', metadata: { labels: { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } } });
    expect(slice?.endpoints ?? null).toBeNull();
    expect(slice?.metadata?.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect((await tc.get<Endpoints & KubeObject>('endpoints', 'web'))?.subsets).toBeUndefined();
    tc.stop();
  });

  it('list ready pods by IP with the named targetPort resolved, and show it in kubectl', async () => {
    const tc = await cluster();
    await tc.apply(SERVICE);
    await tc.apply(pod('a') + '---\n' + pod('b'));
    await tc.tick('5s');
    const ep = await tc.get<Endpoints & KubeObject>('endpoints', 'web');
    expect(ep?.subsets).toHaveLength(1);
    expect(ep?.subsets?.[0]?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(ep?.subsets?.[0]?.addresses?.map((a) => a.targetRef?.name).sort()).toEqual(['a', 'b']);
    const [slice] = await tc.list<Slice>('endpointslices', 'default', 'kubernetes.io/service-name=web');
    expect(slice?.endpoints).toHaveLength(2);
    expect(slice?.endpoints?.[0]?.conditions).toEqual({ ready: true, serving: true, terminating: false });
    expect(slice?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Service', name: 'web', controller: true });
    const out = await tc.sh('kubectl get endpoints web');
    expect(out.stdout).toMatch(/^NAME +ENDPOINTS +AGE\nweb +10\.244\.1\.\d+:8080,10\.244\.1\.\d+:8080 +\d+s\n$/);
    tc.stop();
  });

  it('a pod being deleted leaves Endpoints at once but stays in its slice as terminating', async () => {
    const tc = await TestCluster.start({ nodes: 1, controllers: ['endpoints-controller', 'endpointslice-controller', 'serviceaccount-controller'], nodeDelays: { delete: 20_000 } });
    await tc.apply(SERVICE);
    await tc.apply(pod('a'));
    await tc.tick('5s');
    await tc.client.resource(RESOURCES.pods).delete('default', 'a');
    await tc.tick('2s');
    expect((await tc.get<Endpoints & KubeObject>('endpoints', 'web'))?.subsets).toBeUndefined();
    const [slice] = await tc.list<Slice>('endpointslices', 'default', 'kubernetes.io/service-name=web');
    expect(slice?.endpoints?.[0]?.conditions).toEqual({ ready: false, serving: true, terminating: true });
    await tc.tick('30s');
    const [after] = await tc.list<Slice>('endpointslices', 'default', 'kubernetes.io/service-name=web');
    expect(after?.endpoints ?? null).toBeNull();
    tc.stop();
  });

  it('the kubernetes service points at the apiserver', async () => {
    const tc = await cluster();
    const out = await tc.sh('kubectl get endpoints kubernetes');
    expect(out.stdout).toMatch(/^NAME +ENDPOINTS +AGE\nkubernetes +172\.18\.0\.2:6443 +\d+s\n$/);
    tc.stop();
  });
});
