import { describe, expect, it } from 'vitest';
import type { ClusterRole } from 'kubernetes-types/rbac/v1';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { TestCluster } from '../../testing/testCluster.ts';

type Role = ClusterRole & KubeObject;

describe('ClusterRole aggregation', () => {
  it('admin holds edit and view rules; a new aggregate-to-edit role reaches edit and admin', async () => {
    const tc = await TestCluster.start({ controllers: ['clusterrole-aggregation-controller'] });
    await tc.tick('1s');
    const rules = async (name: string) => ((await tc.client.resource({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', namespaced: false }).get('', name)) as Role).rules ?? [];
    const view = await rules('view');
    const edit = await rules('edit');
    const admin = await rules('admin');
    expect(view.length).toBeGreaterThan(5);
    expect(edit.length).toBeGreaterThan(view.length);
    expect(admin.length).toBeGreaterThan(edit.length);
    await tc.apply(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: crontabs-edit
  labels:
    rbac.authorization.k8s.io/aggregate-to-edit: "true"
rules:
- apiGroups: [stable.example.com]
  resources: [crontabs]
  verbs: [get, list, watch, create, update, patch, delete]
`);
    await tc.tick('1s');
    const has = (rs: readonly { resources?: string[] }[]) => rs.some((r) => r.resources?.includes('crontabs'));
    expect(has(await rules('edit'))).toBe(true);
    expect(has(await rules('admin'))).toBe(true);
    expect(has(await rules('view'))).toBe(false);
    tc.stop();
  });
});
