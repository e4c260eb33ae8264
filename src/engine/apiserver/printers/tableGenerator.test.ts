import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../registry/strategy.ts';
import { DOC } from './columns.ts';
import { columnsFor, printTable, type PrintOptions } from './tableGenerator.ts';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const options = (overrides: Partial<PrintOptions> = {}): PrintOptions => ({
  now: NOW,
  includeObject: 'None',
  listMeta: { resourceVersion: '42' },
  apiVersion: 'v1',
  kind: 'Namespace',
  ...overrides,
});

const namespace: KubeObject = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { labels: { 'kubernetes.io/metadata.name': 'default' }, name: 'default', uid: 'u-1', resourceVersion: '7', creationTimestamp: '2024-06-01T11:00:00Z' },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
};

describe('printTable', () => {
  it('writes the Table JSON of a 1.32 apiserver, field for field', () => {
    expect(printTable('Namespace', [namespace], options())).toBe(
      JSON.stringify({
        kind: 'Table',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { resourceVersion: '42' },
        columnDefinitions: [
          { name: 'Name', type: 'string', format: 'name', description: DOC.name, priority: 0 },
          { name: 'Status', type: 'string', format: '', description: 'The status of the namespace', priority: 0 },
          { name: 'Age', type: 'string', format: '', description: DOC.creationTimestamp, priority: 0 },
        ],
        rows: [{ cells: ['default', 'Active', '60m'], object: null }],
      }),
    );
  });

  it('embeds PartialObjectMetadata for includeObject=Metadata, in ObjectMeta field order', () => {
    const table = JSON.parse(printTable('Namespace', [namespace], options({ includeObject: 'Metadata' }))) as { rows: Array<{ object: unknown }> };
    expect(JSON.stringify(table.rows[0]!.object)).toBe(
      '{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"default","uid":"u-1","resourceVersion":"7","creationTimestamp":"2024-06-01T11:00:00Z","labels":{"kubernetes.io/metadata.name":"default"}}}',
    );
  });

  it('embeds the whole object, kind and apiVersion first, for includeObject=Object', () => {
    const { apiVersion: _a, kind: _k, ...bare } = namespace;
    const table = JSON.parse(printTable('Namespace', [bare], options({ includeObject: 'Object' }))) as { rows: Array<{ object: unknown }> };
    expect(JSON.stringify(table.rows[0]!.object)).toBe(JSON.stringify({ kind: 'Namespace', apiVersion: 'v1', metadata: namespace.metadata, spec: namespace.spec, status: namespace.status }));
  });

  it('writes the list metadata that is set', () => {
    const json = printTable('Namespace', [], options({ listMeta: { resourceVersion: '9', continue: 'abc', remainingItemCount: 0 } }));
    expect(json).toContain('"metadata":{"resourceVersion":"9","continue":"abc","remainingItemCount":0},');
    expect(json.endsWith('"rows":[]}')).toBe(true);
    expect(printTable('Namespace', [], options({ listMeta: { resourceVersion: '' } }))).toContain('"metadata":{},');
  });

  it('adds the Completed condition to finished pods', () => {
    const pods: KubeObject[] = [
      { metadata: { name: 'done' }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Succeeded' } },
      { metadata: { name: 'failed' }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Failed' } },
      { metadata: { name: 'running' }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Running' } },
    ];
    const table = JSON.parse(printTable('Pod', pods, options({ kind: 'Pod' }))) as { rows: unknown[] };
    expect(table.rows).toEqual([
      { cells: ['done', '0/1', 'Succeeded', '0', '<unknown>', '<none>', '<none>', '<none>', '<none>'], conditions: [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }], object: null },
      { cells: ['failed', '0/1', 'Failed', '0', '<unknown>', '<none>', '<none>', '<none>', '<none>'], conditions: [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }], object: null },
      { cells: ['running', '0/1', 'Running', '0', '<unknown>', '<none>', '<none>', '<none>', '<none>'], object: null },
    ]);
  });
});

describe('the default table (kinds without a printer)', () => {
  it('prints NAME and CREATED AT in RFC 3339, UTC', () => {
    const roles: KubeObject[] = [
      { metadata: { name: 'reader', creationTimestamp: '2024-06-01T13:30:00+02:00' } },
      { metadata: { name: 'bare' } },
    ];
    expect(printTable('Role.rbac.authorization.k8s.io', roles, options())).toBe(
      JSON.stringify({
        kind: 'Table',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { resourceVersion: '42' },
        columnDefinitions: [
          { name: 'Name', type: 'string', format: 'name', description: DOC.name, priority: 0 },
          { name: 'Created At', type: 'date', format: '', description: DOC.creationTimestamp, priority: 0 },
        ],
        rows: [
          { cells: ['reader', '2024-06-01T11:30:00Z'], object: null },
          { cells: ['bare', '0001-01-01T00:00:00Z'], object: null },
        ],
      }),
    );
  });

  it('has null rows when empty, as upstream appends to a nil slice', () => {
    expect(printTable('LimitRange', [], options()).endsWith('"rows":null}')).toBe(true);
  });
});

describe('column headers per kind', () => {
  // As kubectl prints them (upper-cased); wide columns after the bar.
  it.each([
    ['Pod', 'NAME READY STATUS RESTARTS AGE | IP NODE NOMINATED NODE READINESS GATES'],
    ['Service', 'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE | SELECTOR'],
    ['Endpoints', 'NAME ENDPOINTS AGE |'],
    ['Namespace', 'NAME STATUS AGE |'],
    ['Node', 'NAME STATUS ROLES AGE VERSION | INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME'],
    ['ConfigMap', 'NAME DATA AGE |'],
    ['Secret', 'NAME TYPE DATA AGE |'],
    ['ServiceAccount', 'NAME SECRETS AGE |'],
    ['Event', 'LAST SEEN TYPE REASON OBJECT MESSAGE | SUBOBJECT SOURCE FIRST SEEN COUNT NAME'],
    ['PersistentVolume', 'NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE | VOLUMEMODE'],
    ['PersistentVolumeClaim', 'NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE | VOLUMEMODE'],
    ['LimitRange', 'NAME CREATED AT |'],
    ['ResourceQuota', 'NAME REQUEST LIMIT AGE |'],
    ['Deployment.apps', 'NAME READY UP-TO-DATE AVAILABLE AGE | CONTAINERS IMAGES SELECTOR'],
    ['ReplicaSet.apps', 'NAME DESIRED CURRENT READY AGE | CONTAINERS IMAGES SELECTOR'],
    ['StatefulSet.apps', 'NAME READY AGE | CONTAINERS IMAGES'],
    ['DaemonSet.apps', 'NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE | CONTAINERS IMAGES SELECTOR'],
    ['ControllerRevision.apps', 'NAME CONTROLLER REVISION AGE |'],
    ['Job.batch', 'NAME STATUS COMPLETIONS DURATION AGE | CONTAINERS IMAGES SELECTOR'],
    ['CronJob.batch', 'NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE | CONTAINERS IMAGES SELECTOR'],
    ['EndpointSlice.discovery.k8s.io', 'NAME ADDRESSTYPE PORTS ENDPOINTS AGE |'],
    ['Ingress.networking.k8s.io', 'NAME CLASS HOSTS ADDRESS PORTS AGE |'],
    ['IngressClass.networking.k8s.io', 'NAME CONTROLLER PARAMETERS AGE |'],
    ['NetworkPolicy.networking.k8s.io', 'NAME POD-SELECTOR AGE |'],
    ['Role.rbac.authorization.k8s.io', 'NAME CREATED AT |'],
    ['ClusterRole.rbac.authorization.k8s.io', 'NAME CREATED AT |'],
    ['RoleBinding.rbac.authorization.k8s.io', 'NAME ROLE AGE | USERS GROUPS SERVICEACCOUNTS'],
    ['ClusterRoleBinding.rbac.authorization.k8s.io', 'NAME ROLE AGE | USERS GROUPS SERVICEACCOUNTS'],
    ['StorageClass.storage.k8s.io', 'NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE |'],
    ['Lease.coordination.k8s.io', 'NAME HOLDER AGE |'],
    ['PriorityClass.scheduling.k8s.io', 'NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY |'],
    ['PodDisruptionBudget.policy', 'NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE |'],
    ['HorizontalPodAutoscaler.autoscaling', 'NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE |'],
  ])('%s: %s', (groupKind, expected) => {
    const columns = columnsFor(groupKind);
    const header = (priority: number): string => columns.filter((c) => c.priority === priority).map((c) => c.name.toUpperCase()).join(' ');
    expect(`${header(0)} | ${header(1)}`.trimEnd()).toBe(expected);
  });

  it('gives kinds without a printer the default columns', () => {
    expect(columnsFor('Binding')).toEqual(columnsFor('LimitRange'));
    expect(columnsFor('Binding').map((c) => [c.name, c.type, c.format])).toEqual([
      ['Name', 'string', 'name'],
      ['Created At', 'date', ''],
    ]);
  });
});

describe('performance', () => {
  it('prints 10k pods well under 100 ms', () => {
    const pods: KubeObject[] = Array.from({ length: 10_000 }, (_, i) => ({
      metadata: { name: `web-${i}`, namespace: 'default', uid: `uid-${i}`, resourceVersion: String(i), creationTimestamp: '2024-06-01T11:00:00Z', labels: { app: 'web' } },
      spec: { nodeName: `node-${i % 10}`, containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
      status: {
        phase: 'Running',
        podIP: `10.244.${i >> 8}.${i & 255}`,
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'nginx', ready: true, restartCount: 1, image: 'nginx:1.27', imageID: '', state: { running: { startedAt: '2024-06-01T11:01:00Z' } }, lastState: { terminated: { exitCode: 1, finishedAt: '2024-06-01T11:00:59Z' } } }],
      },
    }));
    // kubectl get asks for includeObject=Metadata (the default). Best of three after a warm-up run, so a
    // garbage collection or a cold JIT does not decide the result.
    let json = printTable('Pod', pods, options({ includeObject: 'Metadata', kind: 'Pod' }));
    let elapsed = Infinity;
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      json = printTable('Pod', pods, options({ includeObject: 'Metadata', kind: 'Pod' }));
      elapsed = Math.min(elapsed, performance.now() - start);
    }
    expect(json).toContain('"cells":["web-9999","1/1","Running","1 (59m ago)","60m","10.244.39.15","node-9","<none>","<none>"]');
    expect(elapsed).toBeLessThan(100);
  });
});
