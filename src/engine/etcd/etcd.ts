/**
 * Etcd — one etcd 3.5 member as its v3 API sees it (server/etcdserver + v3rpc): the KV, Watch, Lease and
 * Maintenance services over the MVCC Store and the Lessor, on the virtual clock.
 *
 * What the server adds to the store: request checks with etcd's errors (empty key, values over the
 * 1.5 MiB request limit, unknown leases, txn op limits), response headers (cluster_id, member_id,
 * revision, raft_term), lease IDs from etcd's ID generator (member-ID prefix + time-seeded counter: two
 * leases granted in a row differ by the requests in between), lease expiry deleting keys in one revision,
 * compaction (by hand and periodic), `status` for `etcdctl endpoint status`, and snapshot save/restore.
 *
 * A single-member cluster: the member is always the leader, raft_term stays 2 (as after a fresh boot),
 * raft_index counts the write requests applied. The database size is an estimate from the bytes stored
 * (bbolt grows in 4 KiB pages from 20 kB and never shrinks without a defrag, which is left out).
 */
import type { Clock, Timer } from '../base/clock.ts';
import type { SeededRng } from '../base/seededRng.ts';
import { EtcdError } from './errors.ts';
import { Lessor, MAX_LEASE_TTL } from './lessor.ts';
import { decodeSnapshot, encodeSnapshot, type Snapshot } from './snapshot.ts';
import {
  Store,
  prefixEnd,
  type DeleteOptions,
  type KeyValue,
  type Op,
  type OpResult,
  type PutOptions,
  type RangeOptions,
  type TxnRequest,
  type WatchEvent,
  type WatchOptions,
  type WatcherInfo,
} from './store.ts';

export const VERSION = '3.5.16';
/** etcd's default --max-request-bytes: 1.5 MiB. */
export const MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;
/** etcd's default --max-txn-ops. */
export const MAX_TXN_OPS = 128;

export interface ResponseHeader {
  clusterId: bigint;
  memberId: bigint;
  revision: number;
  raftTerm: number;
}

export interface RangeResponse {
  header: ResponseHeader;
  kvs: KeyValue[];
  count: number;
  more: boolean;
}

export interface PutResponse {
  header: ResponseHeader;
  prevKv?: KeyValue;
}

export interface DeleteRangeResponse {
  header: ResponseHeader;
  deleted: number;
  prevKvs: KeyValue[];
}

export interface TxnResponse {
  header: ResponseHeader;
  succeeded: boolean;
  responses: OpResult[];
}

export interface WatchResponse {
  header: ResponseHeader;
  events: WatchEvent[];
}

export interface LeaseGrantResponse {
  header: ResponseHeader;
  id: bigint;
  ttl: number;
}

export interface LeaseTimeToLiveResponse {
  header: ResponseHeader;
  id: bigint;
  /** Seconds left; -1 when the lease does not exist (expired or revoked). */
  ttl: number;
  grantedTtl: number;
  keys: string[];
}

export interface StatusResponse {
  header: ResponseHeader;
  version: string;
  dbSize: number;
  dbSizeInUse: number;
  leader: bigint;
  raftIndex: number;
  raftTerm: number;
  raftAppliedIndex: number;
  errors: string[];
  isLearner: boolean;
}

export interface EtcdOptions {
  clock: Clock;
  /** Draws the member and cluster IDs when they are not given. */
  rng: SeededRng;
  memberId?: bigint;
  clusterId?: bigint;
}

const INITIAL_DB_SIZE = 20_480;
const PAGE = 4096;
const SUFFIX_BITS = 2 ** 48;
const INT64_MASK = (1n << 63n) - 1n;

export class Etcd {
  readonly memberId: bigint;
  readonly clusterId: bigint;
  private store: Store;
  private readonly lessor: Lessor;
  private readonly clock: Clock;
  private raftIndex = 4;
  private readonly raftTerm = 2;
  private dbSize = INITIAL_DB_SIZE;
  /** etcd's idutil.Generator: the low 48 bits, started from the boot time in ms shifted by 8. */
  private idSuffix: number;
  private readonly timers = new Set<Timer>();

  constructor(options: EtcdOptions) {
    this.clock = options.clock;
    this.memberId = options.memberId ?? random64(options.rng);
    this.clusterId = options.clusterId ?? random64(options.rng);
    this.idSuffix = (options.clock.now() * 256) % SUFFIX_BITS;
    this.lessor = new Lessor(options.clock, (id) => this.expire(id));
    this.store = new Store(this.lessor);
  }

  /** The revision of the last write. */
  get revision(): number {
    return this.store.revision;
  }

  get compactRevision(): number {
    return this.store.compactRevision;
  }

  // —— KV ——

  range(key: string, options: RangeOptions = {}): RangeResponse {
    checkKey(key);
    const result = this.store.range(key, options);
    return { header: this.header(), kvs: result.kvs, count: result.count, more: result.more };
  }

  put(key: string, value: string, options: PutOptions = {}): PutResponse {
    this.checkPut(key, value, options);
    this.request();
    const result = this.store.put(key, value, options);
    this.written();
    return result.prevKv ? { header: this.header(), prevKv: result.prevKv } : { header: this.header() };
  }

  deleteRange(key: string, options: DeleteOptions = {}): DeleteRangeResponse {
    checkKey(key);
    this.request();
    const result = this.store.deleteRange(key, options);
    this.written();
    return { header: this.header(), deleted: result.deleted, prevKvs: result.prevKvs };
  }

  /** All compares hold → the success ops, else the failure ops; atomically, one revision if it writes. */
  txn(request: TxnRequest): TxnResponse {
    const branches = [request.success ?? [], request.failure ?? []];
    for (const ops of branches) if (ops.length > MAX_TXN_OPS || (request.compare?.length ?? 0) > MAX_TXN_OPS) throw new EtcdError('ErrTooManyOps');
    let bytes = 0;
    for (const ops of branches) bytes += this.checkOps(ops);
    if (bytes > MAX_REQUEST_BYTES) throw new EtcdError('ErrRequestTooLarge');
    const succeeded = (request.compare ?? []).every((c) => this.store.compare(c));
    for (const op of succeeded ? branches[0]! : branches[1]!) {
      if (op.type === 'put' && op.options?.lease && !this.lessor.lookup(op.options.lease)) throw new EtcdError('ErrLeaseNotFound');
    }
    this.request();
    const result = this.store.txn(request);
    this.written();
    return { header: this.header(), succeeded: result.succeeded, responses: result.responses };
  }

  // —— Watch ——

  /** Follow a key or range; history from `startRevision` is delivered first. Throws CompactedError. */
  watch(key: string, options: WatchOptions, listener: (response: WatchResponse) => void): { cancel(): void } {
    return this.store.watch(key, options, (events, revision) => listener({ header: this.header(revision), events }));
  }

  /** The live watches (not an etcd RPC: what the lab's diagrams show of who follows which keys). */
  watchers(): WatcherInfo[] {
    return this.store.watchers();
  }

  /** The retained events of revisions `from`..`to`, each with the key's previous value (for the diagrams). */
  history(from: number, to?: number): WatchEvent[] {
    return this.store.events(from, to);
  }

  // —— Maintenance ——

  /** Discard history before `revision` (etcd's Compact RPC). */
  compact(revision: number): { header: ResponseHeader } {
    this.store.compact(revision);
    this.request();
    return { header: this.header() };
  }

  /**
   * Compact periodically: every `retentionMs`, to the revision seen one period earlier — what the
   * apiserver's compactor does every 5 minutes, and close to etcd's own periodic auto-compaction with
   * that retention. Cancel the returned timer to stop.
   */
  autoCompact(retentionMs: number): Timer {
    let previous = this.revision;
    const timer = this.clock.every(
      retentionMs,
      () => {
        const target = previous;
        previous = this.revision;
        if (target > this.store.compactRevision) this.compact(target);
      },
      'etcd auto-compaction',
    );
    this.timers.add(timer);
    return timer;
  }

  status(): StatusResponse {
    this.noteDbSize();
    return {
      header: this.header(),
      version: VERSION,
      dbSize: this.dbSize,
      dbSizeInUse: this.dbSizeInUse(),
      leader: this.memberId,
      raftIndex: this.raftIndex,
      raftTerm: this.raftTerm,
      raftAppliedIndex: this.raftIndex,
      errors: [],
      isLearner: false,
    };
  }

  snapshot(): Snapshot {
    return encodeSnapshot({
      revision: this.store.revision,
      compactRevision: this.store.compactRevision,
      clusterId: this.clusterId,
      memberId: this.memberId,
      leases: this.lessor.all().map((l) => ({ id: l.id, ttl: l.ttl })),
      keys: [...this.store.versions()].map(([key, versions]) => [key, [...versions]]),
    });
  }

  /**
   * A new member from a snapshot (etcdutl snapshot restore, then starting etcd on the restored data dir):
   * keys, history and revision as saved; leases granted anew with their TTLs from now. Throws
   * SnapshotError for a corrupt file.
   */
  static restore(snapshot: Snapshot, options: Omit<EtcdOptions, 'memberId' | 'clusterId'>): Etcd {
    const state = decodeSnapshot(snapshot);
    const etcd = new Etcd({ ...options, memberId: state.memberId, clusterId: state.clusterId });
    for (const lease of state.leases) etcd.lessor.grant(lease.id, lease.ttl);
    etcd.store = Store.restore({ revision: state.revision, compactRevision: state.compactRevision, keys: state.keys }, etcd.lessor);
    etcd.noteDbSize();
    return etcd;
  }

  /** Stop every timer this member owns (lease expiry, auto-compaction). */
  dispose(): void {
    this.lessor.stop();
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
  }

  // —— Lease ——

  leaseGrant(ttlSeconds: number, id?: bigint): LeaseGrantResponse {
    if (ttlSeconds > MAX_LEASE_TTL) throw new EtcdError('ErrLeaseTTLTooLarge');
    let leaseId = id ?? 0n;
    while (leaseId === 0n) leaseId = this.nextId() & INT64_MASK;
    if (this.lessor.lookup(leaseId)) throw new EtcdError('ErrLeaseExist');
    this.request();
    const lease = this.lessor.grant(leaseId, ttlSeconds);
    return { header: this.header(), id: lease.id, ttl: lease.ttl };
  }

  leaseRevoke(id: bigint): { header: ResponseHeader } {
    if (!this.lessor.lookup(id)) throw new EtcdError('ErrLeaseNotFound');
    this.request();
    this.revoke(id);
    return { header: this.header() };
  }

  leaseKeepAlive(id: bigint): LeaseGrantResponse {
    const lease = this.lessor.renew(id);
    if (!lease) throw new EtcdError('ErrLeaseNotFound');
    return { header: this.header(), id, ttl: lease.ttl };
  }

  leaseTimeToLive(id: bigint, options: { keys?: boolean } = {}): LeaseTimeToLiveResponse {
    const lease = this.lessor.lookup(id);
    if (!lease) return { header: this.header(), id, ttl: -1, grantedTtl: 0, keys: [] };
    const remaining = Math.max(0, Math.trunc((lease.expiresAt - this.clock.now()) / 1000));
    return { header: this.header(), id, ttl: remaining, grantedTtl: lease.ttl, keys: options.keys ? [...lease.keys].sort() : [] };
  }

  leaseLeases(): { header: ResponseHeader; leases: bigint[] } {
    return { header: this.header(), leases: this.lessor.all().map((l) => l.id) };
  }

  // —— internals ——

  private header(revision = this.store.revision): ResponseHeader {
    return { clusterId: this.clusterId, memberId: this.memberId, revision, raftTerm: this.raftTerm };
  }

  /** One request through raft: an entry in the log and an ID from the generator. */
  private request(): void {
    this.raftIndex++;
    this.nextId();
  }

  private nextId(): bigint {
    this.idSuffix = (this.idSuffix + 1) % SUFFIX_BITS;
    return ((this.memberId & 0xffffn) << 48n) | BigInt(this.idSuffix);
  }

  private written(): void {
    this.noteDbSize();
  }

  private dbSizeInUse(): number {
    return INITIAL_DB_SIZE + Math.ceil(this.store.storedBytes / PAGE) * PAGE;
  }

  private noteDbSize(): void {
    this.dbSize = Math.max(this.dbSize, this.dbSizeInUse());
  }

  private checkPut(key: string, value: string, options: PutOptions): void {
    checkKey(key);
    if (requestBytes(key, value) > MAX_REQUEST_BYTES) throw new EtcdError('ErrRequestTooLarge');
    if (options.lease && !this.lessor.lookup(options.lease)) throw new EtcdError('ErrLeaseNotFound');
  }

  /** Check one branch of a txn; returns its size in bytes. */
  private checkOps(ops: readonly Op[]): number {
    const puts = new Set<string>();
    const deletes: Array<[string, string | undefined]> = [];
    let bytes = 0;
    for (const op of ops) {
      checkKey(op.key);
      if (op.type === 'put') {
        if (puts.has(op.key)) throw new EtcdError('ErrDuplicateKey');
        puts.add(op.key);
        bytes += requestBytes(op.key, op.value);
      } else {
        bytes += op.key.length;
        if (op.type === 'deleteRange') deletes.push([op.key, op.options?.prefix ? prefixEnd(op.key) : op.options?.rangeEnd]);
      }
    }
    for (const key of puts) {
      for (const [from, end] of deletes) {
        const covered = end === undefined || end === '' ? key === from : key >= from && (end === '\0' || key < end);
        if (covered) throw new EtcdError('ErrDuplicateKey');
      }
    }
    return bytes;
  }

  private expire(id: bigint): void {
    if (!this.lessor.lookup(id)) return;
    this.request();
    this.revoke(id);
  }

  /** Delete the lease's keys in one revision, then forget it. */
  private revoke(id: bigint): void {
    const keys = [...(this.lessor.lookup(id)?.keys ?? [])].sort();
    if (keys.length > 0) this.store.txn({ success: keys.map((key): Op => ({ type: 'deleteRange', key })) });
    this.lessor.remove(id);
    this.written();
  }
}

function checkKey(key: string): void {
  if (key.length === 0) throw new EtcdError('ErrEmptyKey');
}

/** The request's size in UTF-8 bytes (exact only when it could matter). */
function requestBytes(key: string, value: string): number {
  const n = key.length + value.length;
  if (n * 3 <= MAX_REQUEST_BYTES) return n;
  return new TextEncoder().encode(key).length + new TextEncoder().encode(value).length;
}

function random64(rng: SeededRng): bigint {
  return (BigInt(rng.nextUint32()) << 32n) | BigInt(rng.nextUint32());
}
