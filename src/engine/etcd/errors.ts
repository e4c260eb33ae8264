/**
 * The errors etcd's v3 API returns (api/v3rpc/rpctypes), worded as etcdctl prints them after "Error: ".
 * Callers tell them apart by `code` (the rpctypes variable's name) rather than by message.
 */

export type EtcdErrorCode =
  | 'ErrCompacted'
  | 'ErrFutureRev'
  | 'ErrLeaseNotFound'
  | 'ErrLeaseExist'
  | 'ErrLeaseTTLTooLarge'
  | 'ErrRequestTooLarge'
  | 'ErrEmptyKey'
  | 'ErrDuplicateKey'
  | 'ErrTooManyOps';

const MESSAGES: Record<EtcdErrorCode, string> = {
  ErrCompacted: 'etcdserver: mvcc: required revision has been compacted',
  ErrFutureRev: 'etcdserver: mvcc: required revision is a future revision',
  ErrLeaseNotFound: 'etcdserver: requested lease not found',
  ErrLeaseExist: 'etcdserver: lease already exists',
  ErrLeaseTTLTooLarge: 'etcdserver: too large lease TTL',
  ErrRequestTooLarge: 'etcdserver: request is too large',
  ErrEmptyKey: 'etcdserver: key is not provided',
  ErrDuplicateKey: 'etcdserver: duplicate key given in txn request',
  ErrTooManyOps: 'etcdserver: too many operations in txn request',
};

export class EtcdError extends Error {
  constructor(readonly code: EtcdErrorCode) {
    super(MESSAGES[code]);
    this.name = 'EtcdError';
  }
}

/** A read or watch below the compacted revision; carries the revision the store was compacted at. */
export class CompactedError extends EtcdError {
  constructor(readonly compactRevision: number) {
    super('ErrCompacted');
  }
}
