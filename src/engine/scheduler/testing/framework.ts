/**
 * A Framework over a fixed snapshot for plugin tests (upstream's runtime.NewFramework with
 * WithSnapshotSharedLister): real plugins and runtime, informer listers over in-memory indexers the test
 * fills, and an apiserver client that answers every request 503 (plugins under test must not write).
 */
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { Clock } from '../../base/clock.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { newIndexer, NAMESPACE_INDEX, metaNamespaceIndexFunc } from '../../client/cache/indexer.ts';
import { Lister } from '../../client/cache/lister.ts';
import { EventBroadcaster } from '../../client/record/eventRecorder.ts';
import { RestClient, type KubeObject } from '../../client/rest/restClient.ts';
import { Snapshot } from '../cache/snapshot.ts';
import type { Profile } from '../config.ts';
import type { SchedulerListers } from '../framework/listers.ts';
import { Framework } from '../framework/runtime/framework.ts';
import { IN_TREE_REGISTRY } from '../plugins/registry.ts';
import { PodNominator } from '../queue/nominator.ts';

export interface TestFramework {
  framework: Framework;
  snapshot: Snapshot;
  /** Add informer objects (Services, ReplicaSets, Namespaces, PDBs) the plugins read. */
  add: (kind: keyof SchedulerListers, ...objects: object[]) => void;
}

export function newTestFramework(pods: readonly Pod[], nodes: readonly Node[], profile: Partial<Profile> = {}): TestFramework {
  const snapshot = Snapshot.fromObjects(pods, nodes);
  const indexers = {
    pods: newIndexer<KubeObject>({ [NAMESPACE_INDEX]: metaNamespaceIndexFunc }),
    namespaces: newIndexer<KubeObject>(),
    services: newIndexer<KubeObject>({ [NAMESPACE_INDEX]: metaNamespaceIndexFunc }),
    replicaSets: newIndexer<KubeObject>({ [NAMESPACE_INDEX]: metaNamespaceIndexFunc }),
    statefulSets: newIndexer<KubeObject>({ [NAMESPACE_INDEX]: metaNamespaceIndexFunc }),
    podDisruptionBudgets: newIndexer<KubeObject>({ [NAMESPACE_INDEX]: metaNamespaceIndexFunc }),
  };
  const listers = Object.fromEntries(Object.entries(indexers).map(([k, v]) => [k, new Lister(v)])) as unknown as SchedulerListers;
  const clock = new Clock();
  const rng = new SeededRng(1);
  const client = new RestClient({
    request: () => Promise.resolve({ status: 503, headers: {}, body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'no apiserver in this test', reason: 'ServiceUnavailable', code: 503 }) }),
  });
  const framework = new Framework(IN_TREE_REGISTRY, { schedulerName: 'default-scheduler', ...profile }, {
    clock,
    rng,
    client,
    eventRecorder: new EventBroadcaster({ clock, rng }).newRecorder({ component: 'default-scheduler' }),
    listers,
    nominator: new PodNominator(),
    snapshot: () => snapshot,
  });
  return {
    framework,
    snapshot,
    add: (kind, ...objects) => {
      for (const o of objects) indexers[kind].add(o as KubeObject);
    },
  };
}
