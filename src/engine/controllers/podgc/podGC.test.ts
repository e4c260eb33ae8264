import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { TestCluster } from '../../testing/testCluster.ts';

type PodObject = Pod & KubeObject;

const pod = (name: string, node: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  nodeName: ${node}
  containers:
  - name: app
    image: nginx
`;

describe('pod GC', () => {
  it('removes the pods of a node that was deleted, after the quarantine', async () => {
    const tc = await TestCluster.start({ nodes: 2, controllers: ['pod-garbage-collector-controller', 'serviceaccount-controller'] });
    await tc.apply(pod('a', 'worker-1') + '---\n' + pod('b', 'worker-2'));
    await tc.tick('5s');
    await tc.sh('lab node fail worker-1');
    await tc.client.resource(RESOURCES.nodes).delete('', 'worker-1');
    await tc.tick('30s');
    expect(await tc.get<PodObject>('pods', 'a')).toBeDefined();
    await tc.tick('60s');
    expect(await tc.get<PodObject>('pods', 'a')).toBeUndefined();
    expect(await tc.get<PodObject>('pods', 'b')).toBeDefined();
    tc.stop();
  });
});
