import { describe, expect, it } from 'vitest';
import { Clock } from '../base/clock.ts';
import { SeededRng } from '../base/seededRng.ts';
import { Etcd } from '../etcd/index.ts';
import type { ApiResponse } from './http.ts';
import { ADMIN_USER, KubeApiserver } from './kubeApiserver.ts';
import { Etcd3Storage } from './storage/etcd3.ts';

const TOKEN = 'admin';

function boot() {
  const clock = new Clock({ startTime: Date.UTC(2025, 0, 1), paused: true });
  const rng = new SeededRng(1);
  const etcd = new Etcd({ clock, rng });
  const api = new KubeApiserver({ clock, rng, storage: new Etcd3Storage(etcd), serverAddress: '172.18.0.2:6443', watchCacheSize: 10 });
  api.authenticator.add(TOKEN, ADMIN_USER);
  api.authenticator.add('jane', { username: 'jane', groups: [] });
  const call = (method: string, path: string, body?: unknown, options: { query?: string; token?: string; contentType?: string; accept?: string } = {}): ApiResponse => {
    const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? TOKEN}` };
    if (options.contentType) headers['content-type'] = options.contentType;
    if (options.accept) headers.accept = options.accept;
    return api.handle({ method, path, query: new URLSearchParams(options.query ?? ''), headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  };
  const json = (r: ApiResponse) => JSON.parse(r.body) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads arbitrary JSON
  return { clock, etcd, api, call, json };
}

const pod = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
});

function withServiceAccount(t: ReturnType<typeof boot>) {
  t.call('POST', '/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'default' } });
  return t;
}

describe('kube-apiserver over etcd', () => {
  it('boots with the system namespaces, the kubernetes Service and the RBAC policy, under /registry keys', () => {
    const t = boot();
    const names = t.json(t.call('GET', '/api/v1/namespaces')).items.map((n: { metadata: { name: string } }) => n.metadata.name);
    expect(names).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const svc = t.json(t.call('GET', '/api/v1/namespaces/default/services/kubernetes'));
    expect(svc.spec.clusterIP).toBe('10.96.0.1');
    const keys = t.etcd.range('/registry/', { prefix: true, keysOnly: true }).kvs.map((kv) => kv.key);
    expect(keys).toContain('/registry/namespaces/kube-system');
    expect(keys).toContain('/registry/services/specs/default/kubernetes');
    expect(keys).toContain('/registry/clusterroles/cluster-admin');
  });

  it('creates a pod with defaults, admission and a Pending status; resourceVersion is the etcd revision', () => {
    const t = withServiceAccount(boot());
    const r = t.call('POST', '/api/v1/namespaces/default/pods', pod('web'));
    expect(r.status).toBe(201);
    const p = t.json(r);
    expect(p.spec.restartPolicy).toBe('Always');
    expect(p.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(p.spec.serviceAccountName).toBe('default');
    expect(p.spec.tolerations).toHaveLength(2);
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    expect(p.metadata.resourceVersion).toBe(String(t.etcd.revision));
    expect(t.etcd.range('/registry/pods/default/web').kvs).toHaveLength(1);
  });

  it('answers with real Status errors and leaves etcd unchanged on failure', () => {
    const t = withServiceAccount(boot());
    const before = t.etcd.revision;
    const missing = t.call('GET', '/api/v1/namespaces/default/pods/nope');
    expect(missing.status).toBe(404);
    expect(t.json(missing).message).toBe('pods "nope" not found');
    const invalid = t.call('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'Bad' }, spec: { containers: [{ name: 'c' }] } });
    expect(invalid.status).toBe(422);
    expect(t.json(invalid).details.causes.map((c: { field: string }) => c.field)).toEqual(expect.arrayContaining(['metadata.name', 'spec.containers[0].image']));
    const malformed = t.call('POST', '/api/v1/namespaces/default/pods', '{"metadata":');
    expect(malformed.status).toBe(400);
    const wrongKind = t.call('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' } });
    expect(wrongKind.status).toBe(400);
    const noNamespace = t.call('POST', '/api/v1/namespaces/nowhere/configmaps', { metadata: { name: 'x' } });
    expect(noNamespace.status).toBe(404);
    expect(t.json(noNamespace).message).toBe('namespaces "nowhere" not found');
    const huge = t.call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'huge' }, binaryData: { a: 'A'.repeat(1_700_000) } });
    expect([413, 422]).toContain(huge.status);
    expect(t.etcd.revision).toBe(before);
  });

  it('refuses a stale resourceVersion with 409 Conflict', () => {
    const t = boot();
    const cm = t.json(t.call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'c' }, data: { a: '1' } }));
    const first = t.call('PUT', '/api/v1/namespaces/default/configmaps/c', { ...cm, data: { a: '2' } });
    expect(first.status).toBe(200);
    const stale = t.call('PUT', '/api/v1/namespaces/default/configmaps/c', { ...cm, data: { a: '3' } });
    expect(stale.status).toBe(409);
    expect(t.json(stale).message).toBe('Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again');
  });

  it('lists with label and field selectors, pages with limit/continue, and rejects bad selectors', () => {
    const t = withServiceAccount(boot());
    for (let i = 0; i < 5; i++) t.call('POST', '/api/v1/namespaces/default/pods', pod(`p${i}`, { tier: i % 2 ? 'odd' : 'even' }));
    const odd = t.json(t.call('GET', '/api/v1/pods', undefined, { query: 'labelSelector=tier%3Dodd' }));
    expect(odd.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['p1', 'p3']);
    const byName = t.json(t.call('GET', '/api/v1/namespaces/default/pods', undefined, { query: 'fieldSelector=metadata.name%3Dp2' }));
    expect(byName.items).toHaveLength(1);
    const page1 = t.json(t.call('GET', '/api/v1/namespaces/default/pods', undefined, { query: 'limit=2' }));
    expect(page1.items).toHaveLength(2);
    expect(page1.metadata.remainingItemCount).toBe(3);
    const page2 = t.json(t.call('GET', '/api/v1/namespaces/default/pods', undefined, { query: `limit=2&continue=${encodeURIComponent(page1.metadata.continue)}` }));
    expect(page2.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['p2', 'p3']);
    expect(t.call('GET', '/api/v1/pods', undefined, { query: 'labelSelector=a%20in%20(b' }).status).toBe(400);
    const badField = t.call('GET', '/api/v1/pods', undefined, { query: 'fieldSelector=spec.image%3Dx' });
    expect(badField.status).toBe(400);
    expect(t.json(badField).message).toContain('field label not supported: spec.image');
  });

  it('watches from a resourceVersion, and a compacted one ends with a 410 ERROR event', () => {
    const t = boot();
    const list = t.json(t.call('GET', '/api/v1/namespaces/default/configmaps'));
    const w = t.call('GET', '/api/v1/namespaces/default/configmaps', undefined, { query: `watch=1&resourceVersion=${list.metadata.resourceVersion}` });
    const lines: string[] = [];
    w.watch!.onEvent((l) => lines.push(l));
    t.call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'a' } });
    t.call('DELETE', '/api/v1/namespaces/default/configmaps/a');
    expect(lines.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['ADDED', 'DELETED']);
    w.watch!.stop();
    // The watch cache keeps 10 events here: after 20 more writes, the list's revision is out of its window.
    for (let i = 0; i < 20; i++) t.call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `c${i}` } });
    const old = t.call('GET', '/api/v1/namespaces/default/configmaps', undefined, { query: `watch=1&resourceVersion=${list.metadata.resourceVersion}` });
    const errorLines: string[] = [];
    old.watch!.onEvent((l) => errorLines.push(l));
    expect(errorLines).toHaveLength(1);
    const event = JSON.parse(errorLines[0]!) as { type: string; object: { code: number; reason: string } };
    expect(event.type).toBe('ERROR');
    expect(event.object.code).toBe(410);
  });

  it('deletes gracefully: a scheduled pod gets a deletionTimestamp, finalizers hold an object', () => {
    const t = withServiceAccount(boot());
    t.call('POST', '/api/v1/namespaces/default/pods', pod('p'));
    const bound = t.call('POST', '/api/v1/namespaces/default/pods/p/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'node-1' } });
    expect(bound.status).toBe(201);
    const again = t.call('POST', '/api/v1/namespaces/default/pods/p/binding', { target: { kind: 'Node', name: 'node-2' } });
    expect(again.status).toBe(409);
    const p = t.json(t.call('GET', '/api/v1/namespaces/default/pods/p'));
    expect(p.spec.nodeName).toBe('node-1');
    expect(p.status.conditions[0]).toMatchObject({ type: 'PodScheduled', status: 'True' });
    const del = t.call('DELETE', '/api/v1/namespaces/default/pods/p');
    expect(del.status).toBe(200);
    expect(t.json(del).metadata.deletionGracePeriodSeconds).toBe(30);
    expect(t.call('GET', '/api/v1/namespaces/default/pods/p').status).toBe(200);

    t.call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    t.call('DELETE', '/api/v1/namespaces/default/configmaps/held');
    const held = t.json(t.call('GET', '/api/v1/namespaces/default/configmaps/held'));
    expect(held.metadata.deletionTimestamp).toBeDefined();
    t.call('PATCH', '/api/v1/namespaces/default/configmaps/held', { metadata: { finalizers: null } }, { contentType: 'application/merge-patch+json' });
    expect(t.call('GET', '/api/v1/namespaces/default/configmaps/held').status).toBe(404);
  });

  it('serves scale, and generateName names with five characters', () => {
    const t = boot();
    const d = t.json(
      t.call('POST', '/apis/apps/v1/namespaces/default/deployments', {
        metadata: { generateName: 'web-' },
        spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
      }),
    );
    expect(d.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const scale = t.json(t.call('GET', `/apis/apps/v1/namespaces/default/deployments/${d.metadata.name}/scale`));
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { replicas: 0, selector: 'app=web' } });
    const patched = t.call('PATCH', `/apis/apps/v1/namespaces/default/deployments/${d.metadata.name}/scale`, { spec: { replicas: 5 } }, { contentType: 'application/merge-patch+json' });
    expect(t.json(patched).spec.replicas).toBe(5);
    expect(t.json(t.call('GET', `/apis/apps/v1/namespaces/default/deployments/${d.metadata.name}`)).metadata.generation).toBe(2);
  });

  it('authorizes with RBAC and answers access reviews', () => {
    const t = boot();
    const denied = t.call('GET', '/api/v1/namespaces/default/pods', undefined, { token: 'jane' });
    expect(denied.status).toBe(403);
    expect(t.json(denied).message).toBe('pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"');
    t.call('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
      metadata: { name: 'jane-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    expect(t.call('GET', '/api/v1/namespaces/default/pods', undefined, { token: 'jane' }).status).toBe(200);
    const review = (verb: string) =>
      t.json(t.call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { spec: { resourceAttributes: { namespace: 'default', verb, resource: 'pods' } } }, { token: 'jane' })).status.allowed;
    expect(review('list')).toBe(true);
    expect(review('delete')).toBe(false);
  });

  it('reports each stage of a request with its outcome, for the trace', () => {
    const t = withServiceAccount(boot());
    const stages: string[] = [];
    t.api.server.onDidHandleStage((e) => stages.push(`${e.stage}:${e.outcome}${e.stage === 'admission' ? ` ${e.detail}` : ''}`));
    t.call('POST', '/api/v1/namespaces/default/pods', pod('traced'));
    expect(stages).toEqual([
      'authentication:ok',
      'authorization:ok',
      'admission:ok mutating LimitRanger',
      'admission:ok mutating ServiceAccount',
      'admission:ok mutating Priority',
      'admission:ok mutating DefaultTolerationSeconds',
      'admission:ok validating NamespaceLifecycle',
      'admission:ok validating LimitRanger',
      'admission:ok validating ServiceAccount',
      'admission:ok validating ResourceQuota',
      'storage:ok',
    ]);
    stages.length = 0;
    t.call('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'x' }, spec: { containers: [] } });
    expect(stages.slice(-2).map((s) => s.split(' ')[0])).toEqual(['validation:denied', 'response:error']);
    // Reads reach storage too: a get from etcd's store, a list from the watch cache; a missing object errs.
    stages.length = 0;
    t.call('GET', '/api/v1/namespaces/default/pods/traced');
    t.call('GET', '/api/v1/namespaces/default/pods');
    t.call('GET', '/api/v1/namespaces/default/pods/nope');
    expect(stages).toEqual(['authentication:ok', 'authorization:ok', 'storage:ok', 'authentication:ok', 'authorization:ok', 'storage:ok', 'authentication:ok', 'authorization:ok', 'response:error']);
  });

  it("generates a Job's selector and template labels from its uid", () => {
    const t = boot();
    const r = t.call('POST', '/apis/batch/v1/namespaces/default/jobs', {
      metadata: { name: 'pi' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } },
    });
    expect(r.status).toBe(201);
    const job = t.json(r);
    const uid = job.metadata.uid as string;
    expect(job.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    expect(job.spec.template.metadata.labels).toEqual({ 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' });
    expect(job.metadata.labels).toEqual(job.spec.template.metadata.labels);
  });

  it('decodes YAML bodies, refuses unknown media types with 415, and answers etcd\'s size limit in its words', () => {
    const t = boot();
    const yaml = t.call('POST', '/api/v1/namespaces/default/configmaps', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: "1"\n', { contentType: 'application/yaml' });
    expect(yaml.status).toBe(201);
    expect(t.json(yaml).data).toEqual({ a: '1' });
    const text = t.call('POST', '/api/v1/namespaces/default/configmaps', 'hello', { contentType: 'text/plain' });
    expect(text.status).toBe(415);
    expect(t.json(text).reason).toBe('UnsupportedMediaType');
    const before = t.etcd.revision;
    const big = t.call('POST', '/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'big', annotations: { a: 'x'.repeat(200_000) } }, secrets: Array.from({ length: 9000 }, (_, i) => ({ name: `s${i}-${'y'.repeat(150)}` })) });
    expect(big.status).toBe(500);
    expect(t.json(big)).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'etcdserver: request is too large', code: 500 });
    expect(t.etcd.revision).toBe(before);
  });

  it('folds a Secret\'s stringData into data', () => {
    const t = boot();
    const secret = t.json(t.call('POST', '/api/v1/namespaces/default/secrets', { metadata: { name: 's' }, data: { a: 'YQ==' }, stringData: { password: 'hunter2', a: 'b' } }));
    expect(secret.data).toEqual({ a: 'Yg==', password: 'aHVudGVyMg==' });
    expect(secret.stringData).toBeUndefined();
    expect(secret.type).toBe('Opaque');
  });
});
