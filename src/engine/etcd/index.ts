// etcd 3.5 as one in-memory member on the virtual clock: the MVCC store (revisions, ranges at past
// revisions, txn compare-and-swap, watches replayed from history, compaction), leases with expiry, the
// request limits and error messages of the v3 API, endpoint status, and snapshot save/restore/status.
// Left out: raft and multi-member clusters (one member, always leader), the bbolt backend (sizes are
// estimated), auth, alarms and quotas, defragmentation, the v2 API, and gRPC itself (callers get
// synchronous method calls; errors are EtcdError with etcd's wording).
export { Etcd, MAX_REQUEST_BYTES, MAX_TXN_OPS, VERSION } from './etcd.ts';
export type {
  DeleteRangeResponse,
  EtcdOptions,
  LeaseGrantResponse,
  LeaseTimeToLiveResponse,
  PutResponse,
  RangeResponse,
  ResponseHeader,
  StatusResponse,
  TxnResponse,
  WatchResponse,
} from './etcd.ts';
export { CompactedError, EtcdError, type EtcdErrorCode } from './errors.ts';
export { MAX_LEASE_TTL, MIN_LEASE_TTL } from './lessor.ts';
export { SnapshotError, snapshotStatus, type Snapshot, type SnapshotStatus } from './snapshot.ts';
export { Store, prefixEnd } from './store.ts';
export type { Compare, DeleteOptions, KeyValue, Op, OpResult, PutOptions, RangeOptions, SortOrder, SortTarget, TxnRequest, WatchEvent, WatchOptions, WatcherInfo } from './store.ts';
