// client-go's tools/cache: Store and Indexer, DeltaFIFO, Reflector (ListAndWatch with paging, bookmarks,
// 410 relist and backoff on the virtual Clock), SharedIndexInformer and SharedInformerFactory, generic
// listers, and FakeControllerSource for tests. Left out: the watch-list (streaming list) feature, object
// transformers, per-handler goroutines and buffers (handlers run synchronously, in registration order).
export { Cache, NAMESPACE_INDEX, metaNamespaceIndexFunc, newIndexer, newStore, type IndexFunc, type Indexer, type Indexers } from './indexer.ts';
export { DeletedFinalStateUnknown, deletionHandlingMetaNamespaceKeyFunc, metaNamespaceKeyFunc, splitMetaNamespaceKey, type KeyFunc, type Store } from './store.ts';
export { DeltaFifo, newest, type Delta, type DeltaType, type Deltas, type KeyListerGetter } from './deltaFifo.ts';
export { ExponentialBackoffManager, Reflector, isExpired, type ReflectorError, type ReflectorOptions, type ReflectorStore } from './reflector.ts';
export { listWatchFromClient, type ListerWatcher, type TweakListOptions } from './listWatch.ts';
export {
  MINIMUM_RESYNC_PERIOD_MS,
  SharedIndexInformer,
  SharedInformerFactory,
  waitForCacheSync,
  type ResourceEventHandler,
  type ResourceEventHandlerRegistration,
  type SharedInformerFactoryOptions,
  type SharedInformerOptions,
} from './sharedInformer.ts';
export { Lister, NamespaceLister } from './lister.ts';
export { FakeControllerSource, FakeWatch } from './fakeControllerSource.ts';
