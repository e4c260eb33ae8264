import { describe, expect, it } from 'vitest';
import { Clock } from '../../base/clock.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { Etcd } from '../../etcd/index.ts';
import type { ApiResponse } from '../http.ts';
import { ADMIN_USER, KubeApiserver } from '../kubeApiserver.ts';
import { Etcd3Storage } from '../storage/etcd3.ts';

const PATH = '/api/v1/namespaces/default/pods/web';
const SMP = 'application/strategic-merge-patch+json';

/** An apiserver with pod `web` (containers `app` and init `setup`); `call` speaks as the admin. */
function boot() {
  const clock = new Clock({ startTime: Date.UTC(2026, 0, 1), paused: true });
  const rng = new SeededRng(1);
  const api = new KubeApiserver({ clock, rng, storage: new Etcd3Storage(new Etcd({ clock, rng })), serverAddress: '172.18.0.2:6443', watchCacheSize: 10 });
  api.authenticator.add('admin', ADMIN_USER);
  const call = (method: string, path: string, body?: unknown, contentType?: string): ApiResponse =>
    api.handle({ method, path, query: new URLSearchParams(), headers: { authorization: 'Bearer admin', ...(contentType ? { 'content-type': contentType } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (r: ApiResponse) => JSON.parse(r.body) as { message?: string; metadata: { resourceVersion: string }; spec: Record<string, unknown> };
  call('POST', '/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'default' } });
  const created = call('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'web' }, spec: { initContainers: [{ name: 'setup', image: 'busybox' }], containers: [{ name: 'app', image: 'nginx:1.27' }] } });
  expect(created.status).toBe(201);
  return { call, json };
}

const debugger1 = { name: 'debugger-abcde', image: 'busybox', stdin: true, tty: true, targetContainerName: 'app' };

describe('pods/ephemeralcontainers', () => {
  it('adds an ephemeral container by strategic merge patch, with container defaults, and GET answers the pod', () => {
    const { call, json } = boot();
    const patched = call('PATCH', `${PATH}/ephemeralcontainers`, { spec: { ephemeralContainers: [debugger1] } }, SMP);
    expect(patched.status).toBe(200);
    expect(json(patched).spec.ephemeralContainers).toEqual([
      { name: 'debugger-abcde', image: 'busybox', imagePullPolicy: 'Always', resources: {}, stdin: true, targetContainerName: 'app', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', tty: true },
    ]);
    const got = json(call('GET', `${PATH}/ephemeralcontainers`));
    expect(got.spec.ephemeralContainers).toEqual(json(patched).spec.ephemeralContainers);
    expect(got.metadata.resourceVersion).toBe(json(patched).metadata.resourceVersion);
    // A second one is an addition too, ordered as kubectl's two-way merge patch says.
    const order = { '$setElementOrder/ephemeralContainers': [{ name: 'debugger-abcde' }, { name: 'debugger-fghij' }], ephemeralContainers: [{ name: 'debugger-fghij', image: 'busybox' }] };
    const second = call('PATCH', `${PATH}/ephemeralcontainers`, { spec: order }, SMP);
    expect((json(second).spec.ephemeralContainers as { name: string }[]).map((c) => c.name)).toEqual(['debugger-abcde', 'debugger-fghij']);
  });

  it('keeps only spec.ephemeralContainers of a PUT: the rest of the pod is the stored one', () => {
    const { call, json } = boot();
    const pod = json(call('GET', PATH));
    const containers = pod.spec.containers as { image: string }[];
    const put = call('PUT', `${PATH}/ephemeralcontainers`, { ...pod, spec: { ...pod.spec, containers: [{ ...containers[0], image: 'nginx:1.28' }], ephemeralContainers: [{ name: 'debugger-abcde', image: 'busybox' }] } });
    expect(put.status).toBe(200);
    expect((json(put).spec.containers as { image: string }[])[0]!.image).toBe('nginx:1.27');
    // The same resourceVersion again is stale now.
    const stale = call('PUT', `${PATH}/ephemeralcontainers`, { ...pod, spec: { ...pod.spec, ephemeralContainers: [] } });
    expect([stale.status, json(stale).message]).toEqual([409, 'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again']);
  });

  it.each([
    ['ports, resources and probes', { name: 'dbg', image: 'busybox', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } }, readinessProbe: { exec: { command: ['true'] } } }, 'Pod "web" is invalid: [spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container, spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container, spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container]'],
    ['a name another container has', { name: 'setup', image: 'busybox' }, 'Pod "web" is invalid: spec.ephemeralContainers[0].name: Duplicate value: "setup"'],
    ['a target that is not a container', { name: 'dbg', image: 'busybox', targetContainerName: 'nope' }, 'Pod "web" is invalid: spec.ephemeralContainers[0].targetContainerName: Not found: "nope"'],
    ['no image', { name: 'dbg' }, 'Pod "web" is invalid: spec.ephemeralContainers[0].image: Required value'],
  ])('refuses an ephemeral container with %s', (_, container, message) => {
    const { call, json } = boot();
    const r = call('PATCH', `${PATH}/ephemeralcontainers`, { spec: { ephemeralContainers: [container] } }, SMP);
    expect([r.status, json(r).message]).toEqual([422, message]);
  });

  it('allows only additions: an existing ephemeral container is neither changed nor removed, and the pod itself cannot add one', () => {
    const { call, json } = boot();
    const added = json(call('PATCH', `${PATH}/ephemeralcontainers`, { spec: { ephemeralContainers: [debugger1] } }, SMP));
    const existing = (added.spec.ephemeralContainers as object[])[0]!;
    const changed = call('PUT', `${PATH}/ephemeralcontainers`, { ...added, spec: { ...added.spec, ephemeralContainers: [{ ...existing, image: 'alpine' }] } });
    expect([changed.status, json(changed).message]).toEqual([422, 'Pod "web" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers "debugger-abcde" may not be changed\n']);
    const removed = call('PUT', `${PATH}/ephemeralcontainers`, { ...added, spec: { ...added.spec, ephemeralContainers: [] } });
    expect([removed.status, json(removed).message]).toEqual([422, 'Pod "web" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers "debugger-abcde" may not be removed\n']);
    const direct = call('PATCH', PATH, { spec: { ephemeralContainers: [{ name: 'other', image: 'busybox' }] } }, SMP);
    expect(direct.status).toBe(422);
    expect(json(direct).message).toMatch(/^Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than /);
  });
});
