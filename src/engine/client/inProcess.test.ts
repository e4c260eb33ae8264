/**
 * client-go's machinery against the lab's own apiserver (in process, through the whole request chain):
 * an informer lists, then follows a watch; the event recorder writes core/v1 Events and counts repeats.
 */
import { describe, expect, it } from 'vitest';
import { Clock } from '../base/clock.ts';
import { SeededRng } from '../base/seededRng.ts';
import { Etcd } from '../etcd/index.ts';
import { ADMIN_USER, KubeApiserver } from '../apiserver/kubeApiserver.ts';
import { Etcd3Storage } from '../apiserver/storage/etcd3.ts';
import { SharedInformerFactory } from './cache/index.ts';
import { EventBroadcaster, restEventSink } from './record/index.ts';
import { RestClient, type KubeObject } from './rest/restClient.ts';
import { InProcessTransport } from './rest/transport.ts';

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const EVENTS = { group: '', version: 'v1', resource: 'events', namespaced: true };

function boot() {
  const clock = new Clock({ startTime: Date.UTC(2025, 0, 1), paused: true });
  const rng = new SeededRng(3);
  const api = new KubeApiserver({ clock, rng, storage: new Etcd3Storage(new Etcd({ clock, rng })), serverAddress: '172.18.0.2:6443' });
  api.authenticator.add('controller', { username: 'system:kube-controller-manager', groups: [] });
  api.authenticator.add('admin', ADMIN_USER);
  return { api, clock, rng, client: new RestClient(new InProcessTransport(api, 'controller')), admin: new RestClient(new InProcessTransport(api, 'admin')) };
}

/** Let every promise continuation that is ready run (transport calls resolve as microtasks). */
async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

describe('client-go over the in-process apiserver', () => {
  it('an informer syncs the list, then sees adds, updates and deletes from the watch', async () => {
    const { clock, rng, client, admin } = boot();
    const cms = admin.resource<KubeObject>(CONFIGMAPS);
    await cms.create('default', { metadata: { name: 'before' }, data: { a: '1' } });
    const factory = new SharedInformerFactory(client, { clock, rng });
    const informer = factory.informerFor<KubeObject>(CONFIGMAPS);
    const seen: string[] = [];
    informer.addEventHandler({
      onAdd: (o) => seen.push(`add ${o.metadata!.name}`),
      onUpdate: (_, o) => seen.push(`update ${o.metadata!.name}`),
      onDelete: (o) => seen.push(`delete ${(o as KubeObject).metadata?.name ?? 'unknown'}`),
    });
    factory.start();
    await settle();
    expect(informer.hasSynced()).toBe(true);
    await cms.create('default', { metadata: { name: 'after' } });
    const after = await cms.get('default', 'after');
    await cms.update('default', { ...after, data: { b: '2' } });
    await cms.delete('default', 'before');
    await settle();
    expect(seen).toEqual(['add before', 'add after', 'update after', 'delete before']);
    expect(factory.lister<KubeObject>(CONFIGMAPS).list().map((o) => o.metadata!.name)).toEqual(['after']);
    factory.shutdown();
  });

  it('the recorder writes an Event and counts its repeats with firstTimestamp and lastTimestamp', async () => {
    const { clock, rng, client, admin } = boot();
    const cm = await admin.resource<KubeObject>(CONFIGMAPS).create('default', { metadata: { name: 'app' } });
    const broadcaster = new EventBroadcaster({ clock, rng });
    broadcaster.startRecordingToSink(restEventSink(client));
    const recorder = broadcaster.newRecorder({ component: 'kubelab-test' });
    recorder.event({ ...cm, apiVersion: 'v1', kind: 'ConfigMap' }, 'Normal', 'Touched', 'touched once');
    await broadcaster.flush();
    clock.advance(30_000);
    recorder.event({ ...cm, apiVersion: 'v1', kind: 'ConfigMap' }, 'Normal', 'Touched', 'touched once');
    await broadcaster.flush();
    const events = (await admin.resource<KubeObject>(EVENTS).list('default')).items;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      reason: 'Touched',
      count: 2,
      firstTimestamp: '2025-01-01T00:00:00Z',
      lastTimestamp: '2025-01-01T00:00:30Z',
      involvedObject: { kind: 'ConfigMap', name: 'app', namespace: 'default' },
      source: { component: 'kubelab-test' },
    });
  });
});

describe('a RestClient with sharedObjects', () => {
  it("answers with the watch cache's frozen object, equal to the parsed answer; a plain client gets its own copy", async () => {
    const { api, clock, rng, client, admin } = boot();
    // An in-process reader (an informer) makes the cache decode what is written.
    const factory = new SharedInformerFactory(client, { clock, rng });
    const informer = factory.informerFor<KubeObject>(CONFIGMAPS);
    factory.start();
    await settle();
    const shared = new RestClient(new InProcessTransport(api, 'admin'), { sharedObjects: true }).resource<KubeObject>(CONFIGMAPS);
    const created = await shared.create('default', { metadata: { name: 'c' }, data: { a: '1' } });
    await settle();
    expect(Object.isFrozen(created)).toBe(true);
    expect(informer.getStore().getByKey('default/c')).toBe(created);
    const parsed = await admin.resource<KubeObject>(CONFIGMAPS).get('default', 'c');
    expect(Object.isFrozen(parsed)).toBe(false);
    expect(created).toEqual(parsed);
    const updated = await shared.update('default', { ...created, data: { a: '2' } });
    expect(updated).toEqual(await admin.resource<KubeObject>(CONFIGMAPS).get('default', 'c'));
    expect(Object.isFrozen(await shared.get('default', 'c'))).toBe(true);
    // What no informer reads the cache does not decode for a client: the answer is parsed, the client's own.
    const event = await new RestClient(new InProcessTransport(api, 'admin'), { sharedObjects: true })
      .resource<KubeObject>(EVENTS)
      .create('default', { metadata: { name: 'e' }, involvedObject: { kind: 'ConfigMap', namespace: 'default', name: 'c' }, reason: 'Test', message: 'm' });
    expect(Object.isFrozen(event)).toBe(false);
    factory.shutdown();
  });
});
