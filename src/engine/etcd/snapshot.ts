/**
 * Snapshots — what `etcdctl snapshot save` writes and `etcdutl snapshot restore|status` read.
 *
 * A real snapshot is the bbolt database file with a sha256 appended. Ours is text: a header line, one
 * line of JSON holding every retained version of every key (so history and the compacted revision survive
 * a restore, as they do in the db file), the leases, and the cluster's identity; then a trailer line with
 * a CRC-32 of the body. `decodeSnapshot` checks the trailer, as etcdutl checks the sha256.
 *
 * `snapshotStatus` reports what `etcdutl snapshot status` prints: the hash (here the body's CRC-32),
 * the revision, the total number of keys in the database (here: stored key revisions plus leases) and
 * the file's size in bytes.
 */
import type { KeyValue } from './store.ts';

export type Snapshot = string;

export interface SnapshotState {
  revision: number;
  compactRevision: number;
  clusterId: bigint;
  memberId: bigint;
  leases: Array<{ id: bigint; ttl: number }>;
  keys: Array<[string, KeyValue[]]>;
}

export interface SnapshotStatus {
  hash: number;
  revision: number;
  totalKey: number;
  totalSize: number;
}

const MAGIC = 'KUBELAB-ETCD-SNAPSHOT 1';

export class SnapshotError extends Error {}

/** [createRevision, modRevision, version, value, lease (hex, "0" for none)] */
type EncodedKv = [number, number, number, string, string];

export function encodeSnapshot(state: SnapshotState): Snapshot {
  const body = JSON.stringify({
    revision: state.revision,
    compactRevision: state.compactRevision,
    clusterId: state.clusterId.toString(16),
    memberId: state.memberId.toString(16),
    leases: state.leases.map((l) => [l.id.toString(16), l.ttl]),
    keys: state.keys.map(([key, versions]) => [key, versions.map((kv): EncodedKv => [kv.createRevision, kv.modRevision, kv.version, kv.value, kv.lease.toString(16)])]),
  });
  return `${MAGIC}\n${body}\ncrc32 ${hex8(crc32(body))}\n`;
}

export function decodeSnapshot(snapshot: Snapshot): SnapshotState {
  const { body } = verify(snapshot);
  const raw = JSON.parse(body) as {
    revision: number;
    compactRevision: number;
    clusterId: string;
    memberId: string;
    leases: Array<[string, number]>;
    keys: Array<[string, EncodedKv[]]>;
  };
  return {
    revision: raw.revision,
    compactRevision: raw.compactRevision,
    clusterId: BigInt('0x' + raw.clusterId),
    memberId: BigInt('0x' + raw.memberId),
    leases: raw.leases.map(([id, ttl]) => ({ id: BigInt('0x' + id), ttl })),
    keys: raw.keys.map(([key, versions]) => [
      key,
      versions.map(([createRevision, modRevision, version, value, lease]) => ({ key, createRevision, modRevision, version, value, lease: BigInt('0x' + lease) })),
    ]),
  };
}

export function snapshotStatus(snapshot: Snapshot): SnapshotStatus {
  const { body, hash } = verify(snapshot);
  const raw = JSON.parse(body) as { revision: number; leases: unknown[]; keys: Array<[string, unknown[]]> };
  let totalKey = raw.leases.length;
  for (const [, versions] of raw.keys) totalKey += versions.length;
  return { hash, revision: raw.revision, totalKey, totalSize: new TextEncoder().encode(snapshot).length };
}

function verify(snapshot: Snapshot): { body: string; hash: number } {
  const lines = snapshot.split('\n');
  const trailer = /^crc32 ([0-9a-f]{8})$/.exec(lines[2] ?? '');
  if (lines[0] !== MAGIC || lines[1] === undefined || !trailer) throw new SnapshotError('snapshot file is not an etcd snapshot');
  const hash = crc32(lines[1]);
  if (hex8(hash) !== trailer[1]) throw new SnapshotError('snapshot file integrity check failed: hash mismatch');
  return { body: lines[1], hash };
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

let table: Uint32Array | undefined;

/** CRC-32 (IEEE) of a string's UTF-16 code units folded to bytes (low byte, then high byte if any). */
export function crc32(text: string): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    crc = table[(crc ^ code) & 0xff]! ^ (crc >>> 8);
    if (code > 0xff) crc = table[(crc ^ (code >>> 8)) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}
