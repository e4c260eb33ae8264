import { describe, expect, it } from 'vitest';
import { StatusError } from '../../api/errors.ts';
import type { KubeObject } from '../registry/strategy.ts';
import {
  applyPatch,
  createMergePatch,
  createThreeWayMergePatch,
  createTwoWayMergePatch,
  JSON_PATCH,
  MERGE_PATCH,
  SERVER_SIDE_APPLY_UNSUPPORTED,
  STRATEGIC_MERGE_PATCH,
} from './index.ts';

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx' }] },
};

const REJECTED = { code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request', details: {} };

describe('applyPatch errors', () => {
  it.each<[string, string, string, Record<string, unknown>]>([
    ['a JSON patch that is not JSON', JSON_PATCH, 'xx', { code: 400, reason: 'BadRequest', message: "error decoding patch: invalid character 'x' looking for beginning of value" }],
    ['a truncated JSON patch', JSON_PATCH, '[{"op":', { code: 400, message: 'error decoding patch: unexpected end of JSON input' }],
    ['a JSON patch object', JSON_PATCH, '{}', { code: 400, message: 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp' }],
    ['a JSON patch op of the wrong type', JSON_PATCH, '[{"op":1}]', { code: 400, message: 'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string' }],
    ['removing a missing path', JSON_PATCH, '[{"op":"remove","path":"/metadata/annotations"}]', REJECTED],
    ['a failed test', JSON_PATCH, '[{"op":"test","path":"/metadata/name","value":"db"}]', REJECTED],
    ['an unknown op', JSON_PATCH, '[{"op":"frob","path":"/a"}]', REJECTED],
    [
      'a test that panics the library',
      JSON_PATCH,
      '[{"op":"test","path":"/metadata/nope"}]',
      { code: 500, reason: 'InternalError', message: 'an error on the server ("This request caused apiserver to panic. Look in the logs for details.") has prevented the request from succeeding' },
    ],
    ['a merge patch that is not JSON', MERGE_PATCH, '{"a":', { code: 400, message: 'error decoding patch: unexpected end of JSON input' }],
    ['a merge patch array', MERGE_PATCH, '[1]', { code: 400, message: 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}' }],
    ['a null merge patch', MERGE_PATCH, 'null', { code: 400, message: 'Invalid JSON Patch' }],
    ['a strategic patch that is not JSON', STRATEGIC_MERGE_PATCH, 'spec: {}', { code: 400, message: "invalid character 's' looking for beginning of value" }],
    ['a strategic patch array', STRATEGIC_MERGE_PATCH, '[]', { code: 400, message: 'json: cannot unmarshal array into Go value of type map[string]interface {}' }],
    ['a bad $retainKeys', STRATEGIC_MERGE_PATCH, '{"spec":{"$retainKeys":1}}', { code: 400, message: 'invalid patch format of retainKeys' }],
    ['a list of lists', STRATEGIC_MERGE_PATCH, '{"spec":{"containers":[[1]]}}', { code: 500, message: expect.stringContaining('list element types are not identical') }],
    ['a container without a name', STRATEGIC_MERGE_PATCH, '{"spec":{"containers":[{"image":"x"}]}}', { code: 500, message: 'map: map[image:x] does not contain declared merge key: name' }],
    ['server-side apply', 'application/apply-patch+yaml', 'spec: {}', { code: 400, message: SERVER_SIDE_APPLY_UNSUPPORTED }],
    [
      'another content type',
      'application/json',
      '{}',
      {
        code: 415,
        reason: 'UnsupportedMediaType',
        message:
          'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
      },
    ],
  ])('%s', (_name, contentType, body, expected) => {
    try {
      applyPatch('Pod', contentType, pod, body);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StatusError);
      expect((e as StatusError).status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', ...expected });
    }
  });

  it('answers a plain strategicpatch error as a 500 without a reason', () => {
    try {
      applyPatch('Pod', STRATEGIC_MERGE_PATCH, pod, '{"spec":{"containers":[{"image":"x"}]}}');
      expect.unreachable();
    } catch (e) {
      expect((e as StatusError).status).not.toHaveProperty('reason');
    }
  });

  it('limits a JSON patch to 10000 operations', () => {
    const body = JSON.stringify(Array.from({ length: 10001 }, () => ({ op: 'test', path: '/kind', value: 'Pod' })));
    expect(() => applyPatch('Pod', JSON_PATCH, pod, body)).toThrow('Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
  });
});

describe('applyPatch', () => {
  it.each<[string, string, string, KubeObject]>([
    [
      'JSON patch',
      JSON_PATCH,
      '[{"op":"replace","path":"/spec/containers/0/image","value":"nginx:2"},{"op":"add","path":"/metadata/labels/tier","value":"web"}]',
      { ...pod, metadata: { ...pod.metadata, labels: { app: 'web', tier: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:2' }] } },
    ],
    ['merge patch replaces lists', MERGE_PATCH, '{"spec":{"containers":[{"name":"db","image":"redis"}]}}', { ...pod, spec: { containers: [{ name: 'db', image: 'redis' }] } }],
    [
      'strategic merge patch merges containers by name',
      STRATEGIC_MERGE_PATCH,
      '{"spec":{"containers":[{"name":"db","image":"redis"}]},"metadata":{"labels":{"app":null}}}',
      { ...pod, metadata: { name: 'web', namespace: 'default', labels: {} }, spec: { containers: [{ name: 'db', image: 'redis' }, { name: 'web', image: 'nginx' }] } },
    ],
    ['an empty JSON patch', JSON_PATCH, '[]', pod],
    ['a null strategic merge patch', STRATEGIC_MERGE_PATCH, 'null', pod],
  ])('%s', (_name, contentType, body, expected) => {
    const before = structuredClone(pod);
    expect(applyPatch('Pod', contentType, pod, body)).toEqual(expected);
    expect(pod).toEqual(before);
  });

  it('replaces lists of a kind it has no patch metadata for', () => {
    const widget: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { items: [{ name: 'a' }] } };
    expect(applyPatch('Widget.example.com', STRATEGIC_MERGE_PATCH, widget, '{"spec":{"items":[{"name":"b"}]}}')).toEqual({ ...widget, spec: { items: [{ name: 'b' }] } });
  });
});

describe('kubectl apply', () => {
  const lastApplied: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
            { name: 'sidecar', image: 'busybox', args: ['sleep', '3600'] },
          ],
        },
      },
    },
  };
  const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
  const live: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'u-1',
      resourceVersion: '7',
      generation: 1,
      labels: { app: 'web' },
      annotations: { 'deployment.kubernetes.io/revision': '1', [LAST_APPLIED]: JSON.stringify(lastApplied) + '\n' },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.25',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
              terminationMessagePath: '/dev/termination-log',
            },
            { name: 'sidecar', image: 'busybox', args: ['sleep', '3600'], terminationMessagePath: '/dev/termination-log' },
          ],
          restartPolicy: 'Always',
        },
      },
    },
    status: { replicas: 3, readyReplicas: 3 },
  };

  // The new configuration: a new image, env B and the sidecar gone, a label added, Recreate.
  const config = structuredClone(lastApplied) as KubeObject & { spec: { template: { spec: { containers: Array<Record<string, unknown>> } } } };
  config.metadata!.labels = { app: 'web', tier: 'frontend' };
  Object.assign(config.spec, { strategy: { type: 'Recreate' } });
  config.spec.template.spec.containers = [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] }];
  const modified = structuredClone(config);
  modified.metadata!.annotations = { [LAST_APPLIED]: JSON.stringify(config) + '\n' };

  const patch = createThreeWayMergePatch(lastApplied, modified, live, 'Deployment.apps');

  it('computes the patch kubectl sends', () => {
    expect(patch).toEqual({
      metadata: { annotations: { [LAST_APPLIED]: JSON.stringify(config) + '\n' }, labels: { tier: 'frontend' } },
      spec: {
        replicas: 2,
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }],
            containers: [
              { name: 'web', image: 'nginx:1.27', '$setElementOrder/env': [{ name: 'A' }], env: [{ name: 'B', $patch: 'delete' }] },
              { name: 'sidecar', $patch: 'delete' },
            ],
          },
        },
      },
    });
  });

  it('applies as the apiserver applies it, keeping what only the server set', () => {
    const result = applyPatch('Deployment.apps', STRATEGIC_MERGE_PATCH, live, JSON.stringify(patch));
    expect(result).toEqual({
      ...live,
      metadata: {
        ...live.metadata,
        labels: { app: 'web', tier: 'frontend' },
        annotations: { 'deployment.kubernetes.io/revision': '1', [LAST_APPLIED]: JSON.stringify(config) + '\n' },
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'Recreate' },
        revisionHistoryLimit: 10,
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              {
                name: 'web',
                image: 'nginx:1.27',
                ports: [{ containerPort: 80, protocol: 'TCP' }],
                env: [{ name: 'A', value: '1' }],
                terminationMessagePath: '/dev/termination-log',
              },
            ],
            restartPolicy: 'Always',
          },
        },
      },
    });
  });

  it('sends nothing when the configuration did not change', () => {
    const unchanged = structuredClone(lastApplied);
    unchanged.metadata!.annotations = { [LAST_APPLIED]: JSON.stringify(lastApplied) + '\n' };
    const current = structuredClone(live);
    (current.spec as Record<string, unknown>)['replicas'] = 2;
    expect(createThreeWayMergePatch(lastApplied, unchanged, current, 'Deployment.apps')).toEqual({});
  });
});

describe('createTwoWayMergePatch and createMergePatch', () => {
  const modified: KubeObject = { ...pod, spec: { containers: [{ name: 'web', image: 'nginx:2' }, { name: 'log', image: 'busybox' }] } };

  it('diffs containers by name and round-trips', () => {
    const patch = createTwoWayMergePatch(pod, modified, 'Pod');
    expect(patch).toEqual({
      spec: { '$setElementOrder/containers': [{ name: 'web' }, { name: 'log' }], containers: [{ name: 'web', image: 'nginx:2' }, { name: 'log', image: 'busybox' }] },
    });
    expect(applyPatch('Pod', STRATEGIC_MERGE_PATCH, pod, JSON.stringify(patch))).toEqual(modified);
  });

  it('diffs as a JSON merge patch and round-trips', () => {
    const patch = createMergePatch(pod, modified);
    expect(patch).toEqual({ spec: { containers: [{ name: 'web', image: 'nginx:2' }, { name: 'log', image: 'busybox' }] } });
    expect(applyPatch('Pod', MERGE_PATCH, pod, JSON.stringify(patch))).toEqual(modified);
  });
});

describe('schema lookup', () => {
  it('accepts the bare Kind the apiserver passes today', () => {
    const dep: KubeObject = { kind: 'Deployment', spec: { template: { spec: { containers: [{ name: 'a', image: 'x' }] } } } };
    const body = '{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"y"}]}}}}';
    expect(applyPatch('Deployment', STRATEGIC_MERGE_PATCH, dep, body)).toEqual(applyPatch('Deployment.apps', STRATEGIC_MERGE_PATCH, dep, body));
    expect((applyPatch('Deployment', STRATEGIC_MERGE_PATCH, dep, body).spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers).toHaveLength(2);
  });
});
