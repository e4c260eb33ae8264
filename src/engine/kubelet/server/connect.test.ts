import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { within } from '../../runtime/cri/testing.ts';
import { bootServedNode } from './testing.ts';

const PODS = { group: '', version: 'v1', resource: 'pods', namespaced: true };

describe('the apiserver’s pods/log, exec and attach through the kubelet servers', () => {
  it('checks the container and the pod’s state before it reaches the kubelet', async () => {
    const node = await bootServedNode();
    const duo = await node.runPod('duo', { a: ['sleep', '3600'], b: ['sleep', '3600'] });
    const raw = (path: string, query: Record<string, string> = {}) => within(node.clock, node.client.raw('GET', path, query)).then((r) => [r.status, r.body], (e: Error) => e.message);
    expect(await raw('/api/v1/namespaces/default/pods/duo/log')).toBe('a container name must be specified for pod duo, choose one of: [a b]');
    expect(await raw('/api/v1/namespaces/default/pods/duo/log', { container: 'c' })).toBe('container c is not valid for pod duo');
    expect(await raw('/api/v1/namespaces/default/pods/duo/log', { container: 'a', tailLines: 'x' })).toBe('strconv.ParseInt: parsing "x": invalid syntax');
    expect(await raw('/api/v1/namespaces/default/pods/duo/log', { container: 'a' })).toEqual([200, '']);
    const waiting = { ...duo, status: { ...duo.status, phase: 'Pending', containerStatuses: [{ name: 'a', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] } };
    await node.client.resource(PODS).updateStatus('default', waiting as never);
    expect(await raw('/api/v1/namespaces/default/pods/duo/log', { container: 'a' })).toBe('container "a" in pod "duo" is waiting to start: ContainerCreating');
    const unbound = (await node.client.resource(PODS).create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unbound' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } })) as unknown as Pod;
    expect(unbound.spec?.nodeName).toBeUndefined();
    expect(await raw('/api/v1/namespaces/default/pods/unbound/log')).toEqual([200, '']);
    // A stream the query does not name is off (PodExecOptions' zero values): naming none is refused.
    const post = (path: string, query: Record<string, string>) => within(node.clock, node.client.raw('POST', path, query)).then((r) => [r.status, r.body], (e: Error) => e.message);
    expect(await post('/api/v1/namespaces/default/pods/duo/exec', { container: 'a', command: 'true' })).toBe('you must specify at least 1 of stdin, stdout, stderr');
    expect(await post('/api/v1/namespaces/default/pods/duo/attach', { container: 'a', tty: 'true' })).toBe('you must specify at least 1 of stdin, stdout, stderr');
  });
});
