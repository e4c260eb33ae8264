import { describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { TestCluster } from '../../testing/testCluster.ts';

const pv = (name: string, size: string, extra = '') => `apiVersion: v1
kind: PersistentVolume
metadata:
  name: ${name}
spec:
  capacity: {storage: ${size}}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  hostPath: {path: /data/${name}}
${extra}`;

const pvc = (name: string, size: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  resources:
    requests: {storage: ${size}}
`;

type Pv = PersistentVolume & KubeObject;
type Pvc = PersistentVolumeClaim & KubeObject;

describe('PersistentVolume binder', () => {
  it('makes volumes Available, binds a claim to the smallest fitting one, and releases it when the claim goes', async () => {
    const tc = await TestCluster.start({ controllers: ['persistentvolume-binder-controller'] });
    await tc.apply(`${pv('big', '10Gi')}---\n${pv('small', '2Gi')}---\n${pv('tiny', '500Mi')}`);
    await tc.tick('1s');
    expect((await tc.get<Pv>('persistentvolumes', 'small'))?.status?.phase).toBe('Available');
    await tc.apply(pvc('data', '1Gi'));
    await tc.tick('1s');
    const claim = await tc.get<Pvc>('persistentvolumeclaims', 'data');
    expect(claim?.spec?.volumeName).toBe('small');
    expect(claim?.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '2Gi' } });
    expect(claim?.metadata?.annotations).toMatchObject({ 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' });
    const volume = await tc.get<Pv>('persistentvolumes', 'small');
    expect(volume?.status?.phase).toBe('Bound');
    expect(volume?.spec?.claimRef).toMatchObject({ kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: claim?.metadata?.uid });
    await tc.client.resource(RESOURCES.persistentvolumeclaims).delete('default', 'data');
    await tc.tick('1s');
    expect((await tc.get<Pv>('persistentvolumes', 'small'))?.status?.phase).toBe('Released');
    tc.stop();
  });

  it('leaves a claim nothing satisfies Pending, with the FailedBinding event', async () => {
    const tc = await TestCluster.start({ controllers: ['persistentvolume-binder-controller'] });
    await tc.apply(pv('tiny', '500Mi'));
    await tc.apply(pvc('data', '1Gi'));
    await tc.tick('1s');
    expect((await tc.get<Pvc>('persistentvolumeclaims', 'data'))?.status?.phase).toBe('Pending');
    expect(await tc.events('default', 'data')).toContain('FailedBinding: no persistent volumes available for this claim and no storage class is set');
    tc.stop();
  });
});
