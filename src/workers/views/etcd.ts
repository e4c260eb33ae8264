/**
 * The `etcd` view: etcd as kube-apiserver uses it, for the etcd diagram — the `/registry` key tree, the
 * recent revisions with what each wrote, one revision's changes with the values before and after, one
 * key's current value, the live watches, and the compacted revision.
 *
 * Args (all optional): `expanded`, the tree branches the diagram has open (`/registry`,
 * `/registry/pods`…): the tree lists `/registry`, then the children of each open branch, each with how
 * many keys it holds (a branch is never listed key by key unless open, and at most BRANCH_LIMIT children
 * per branch, so thousands of keys cost a count, not a payload); `key`, the key whose value to show;
 * `revision`, the revision whose changes to show; `quiet`, leave out revisions that only renew leases
 * (`/registry/leases/`) or record events (`/registry/events/`), which a running cluster writes every few
 * seconds.
 *
 * Bad input: a chosen key that was deleted is `{ state: 'deleted' }` (with the deleting revision while
 * history keeps it); a revision below the compacted one is `{ state: 'compacted' }` (etcd keeps the
 * compacted revision itself), one above the
 * current revision `{ state: 'future' }`. The version is etcd's member, revision, compacted revision and
 * watch count: nothing is recomputed while etcd is quiet.
 */
import type { Lab } from '../../engine/cluster/lab.ts';
import { prefixEnd, type KeyValue, type WatchEvent } from '../../engine/etcd/index.ts';
import { defineView } from './view.ts';

/** The root of what the apiserver stores (its --etcd-prefix). */
export const REGISTRY = '/registry';
/** At most this many children of one open branch are listed. */
export const BRANCH_LIMIT = 200;
/** At most this many recent revisions are listed. */
export const REVISION_LIMIT = 48;
/** At most this many watches are listed. */
export const WATCH_LIMIT = 300;
/** Prefixes whose routine writes `quiet` leaves out of the revision list. */
export const QUIET_PREFIXES = ['/registry/leases/', '/registry/events/'] as const;

export interface EtcdArgs {
  expanded?: string[];
  key?: string;
  revision?: number;
  quiet?: boolean;
}

/** A key's metadata, as `etcdctl get -w json` shows it. */
export interface KeyMeta {
  createRevision: number;
  modRevision: number;
  version: number;
  /** The lease id in hex, when the key has one. */
  lease?: string;
}

/** One row of the tree, in display order. */
export interface TreeRow {
  path: string;
  /** The last segment. */
  name: string;
  depth: number;
  /** Keys at or under this path. */
  keys: number;
  /** Whether there are keys under it (it can be opened). */
  branch: boolean;
  open: boolean;
  /** Set when the path is itself a key. */
  key?: KeyMeta;
}

/** A row standing for the children of `parent` not listed. */
export interface TreeMore {
  parent: string;
  depth: number;
  more: number;
}

export interface RevisionSummary {
  revision: number;
  changes: Array<{ type: 'PUT' | 'DELETE'; key: string; version: number }>;
}

export interface RevisionChange {
  type: 'PUT' | 'DELETE';
  key: string;
  /** The value before (absent when the key was created) and after (absent when deleted). */
  before?: string;
  after?: string;
  /** The key's version after the change (0: deleted). */
  version: number;
  createRevision: number;
}

export type RevisionDetail =
  | { state: 'ok'; revision: number; changes: RevisionChange[] }
  | { state: 'compacted' | 'future'; revision: number };

export type KeyDetail =
  | ({ state: 'live'; key: string; value: string } & KeyMeta)
  | { state: 'deleted'; key: string; deletedAt?: number }
  | { state: 'compacted'; key: string };

export interface WatchRow {
  key: string;
  rangeEnd?: string;
  /** Whether it follows every key under `key` (a prefix watch). */
  prefix: boolean;
  watcher?: string;
  startRevision: number;
  nextRevision: number;
}

export interface EtcdView {
  revision: number;
  compactRevision: number;
  /** Keys under /registry. */
  keyCount: number;
  tree: Array<TreeRow | TreeMore>;
  revisions: RevisionSummary[];
  /** How many retained revisions the list left out (older, or quiet). */
  revisionsOmitted: number;
  selectedRevision?: RevisionDetail;
  selectedKey?: KeyDetail;
  watches: WatchRow[];
  watchCount: number;
}

function parseArgs(args: unknown): EtcdArgs {
  if (args === undefined) return {};
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new TypeError('etcd: args must be an object { expanded?, key?, revision?, quiet? }');
  const a = args as Record<string, unknown>;
  const out: EtcdArgs = {};
  if (a['expanded'] !== undefined) {
    if (!Array.isArray(a['expanded']) || !a['expanded'].every((p) => typeof p === 'string')) throw new TypeError('etcd: expanded must be an array of key paths');
    out.expanded = a['expanded'] as string[];
  }
  if (a['key'] !== undefined) {
    if (typeof a['key'] !== 'string' || a['key'] === '') throw new TypeError('etcd: key must be a non-empty string');
    out.key = a['key'];
  }
  if (a['revision'] !== undefined) {
    if (typeof a['revision'] !== 'number' || !Number.isInteger(a['revision']) || a['revision'] < 1) throw new TypeError(`etcd: revision must be a positive integer, got ${String(a['revision'])}`);
    out.revision = a['revision'];
  }
  if (a['quiet'] !== undefined) {
    if (typeof a['quiet'] !== 'boolean') throw new TypeError('etcd: quiet must be a boolean');
    out.quiet = a['quiet'];
  }
  return out;
}

function metaOf(kv: KeyValue): KeyMeta {
  return { createRevision: kv.createRevision, modRevision: kv.modRevision, version: kv.version, ...(kv.lease !== 0n ? { lease: kv.lease.toString(16) } : {}) };
}

/** A path of the key tree while it is built: its key count, its key, its children when open. */
interface TreeNode {
  keys: number;
  key?: KeyValue;
  /** Whether keys lie under it. */
  branch?: boolean;
  children?: Map<string, TreeNode>;
}

/** The rows of the tree: `/registry`, then the children of each open branch, from one scan of the keys. */
function buildTree(kvs: readonly KeyValue[], expanded: ReadonlySet<string>): Array<TreeRow | TreeMore> {
  const root: TreeNode = { keys: 0, children: new Map() };
  for (const kv of kvs) {
    root.keys++;
    const segments = kv.key.slice(REGISTRY.length + 1).split('/');
    let node = root;
    let path = REGISTRY;
    for (let i = 0; i < segments.length && node.children; i++) {
      const segment = segments[i]!;
      path += `/${segment}`;
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, (child = { keys: 0 }));
      child.keys++;
      if (i === segments.length - 1) child.key = kv;
      else {
        child.branch = true;
        if (expanded.has(path)) child.children ??= new Map();
      }
      node = child;
    }
  }
  const rows: Array<TreeRow | TreeMore> = [{ path: REGISTRY, name: REGISTRY, depth: 0, keys: root.keys, branch: root.keys > 0, open: expanded.has(REGISTRY) }];
  const walk = (node: TreeNode, path: string, depth: number) => {
    const names = [...(node.children?.keys() ?? [])].sort();
    for (const name of names.slice(0, BRANCH_LIMIT)) {
      const child = node.children!.get(name)!;
      const childPath = `${path}/${name}`;
      const open = child.branch === true && expanded.has(childPath);
      rows.push({ path: childPath, name, depth, keys: child.keys, branch: child.branch === true, open, ...(child.key ? { key: metaOf(child.key) } : {}) });
      if (open) walk(child, childPath, depth + 1);
    }
    if (names.length > BRANCH_LIMIT) rows.push({ parent: path, depth, more: names.length - BRANCH_LIMIT });
  };
  if (expanded.has(REGISTRY)) walk(root, REGISTRY, 1);
  return rows;
}

/** Whether a revision's changes are all routine lease renewals or event records. */
function isQuiet(events: readonly WatchEvent[]): boolean {
  return events.every((e) => QUIET_PREFIXES.some((p) => e.kv.key.startsWith(p)));
}

/** The recent revisions (newest last), at most REVISION_LIMIT, and how many retained ones were left out. */
function recentRevisions(history: readonly WatchEvent[], quiet: boolean): { revisions: RevisionSummary[]; omitted: number } {
  const byRevision: WatchEvent[][] = [];
  for (const e of history) {
    const last = byRevision.at(-1);
    if (last && last[0]!.kv.modRevision === e.kv.modRevision) last.push(e);
    else byRevision.push([e]);
  }
  const kept = quiet ? byRevision.filter((events) => !isQuiet(events)) : byRevision;
  const shown = kept.slice(-REVISION_LIMIT);
  return {
    revisions: shown.map((events) => ({ revision: events[0]!.kv.modRevision, changes: events.map((e) => ({ type: e.type, key: e.kv.key, version: e.kv.version })) })),
    omitted: byRevision.length - shown.length,
  };
}

function revisionDetail(lab: Lab, revision: number): RevisionDetail {
  const etcd = lab.cluster.etcd;
  if (revision > etcd.revision) return { state: 'future', revision };
  if (revision < etcd.compactRevision) return { state: 'compacted', revision };
  const changes = etcd.history(revision, revision).map(
    (e): RevisionChange => ({
      type: e.type,
      key: e.kv.key,
      ...(e.prevKv ? { before: e.prevKv.value } : {}),
      ...(e.type === 'PUT' ? { after: e.kv.value } : {}),
      version: e.kv.version,
      createRevision: e.type === 'PUT' ? e.kv.createRevision : (e.prevKv?.createRevision ?? 0),
    }),
  );
  return { state: 'ok', revision, changes };
}

function keyDetail(lab: Lab, key: string): KeyDetail {
  const etcd = lab.cluster.etcd;
  const kv = etcd.range(key).kvs[0];
  if (kv) return { state: 'live', key, value: kv.value, ...metaOf(kv) };
  // Deleted: find the deleting revision while history keeps it.
  const history = etcd.history(etcd.compactRevision);
  for (let i = history.length - 1; i >= 0; i--) {
    const e = history[i]!;
    if (e.kv.key === key && e.type === 'DELETE') return { state: 'deleted', key, deletedAt: e.kv.modRevision };
  }
  return etcd.compactRevision > 0 ? { state: 'compacted', key } : { state: 'deleted', key };
}

export const etcdView = defineView({
  parse: parseArgs,
  version: (lab: Lab) => {
    const etcd = lab.cluster.etcd;
    return `${etcd.memberId}:${etcd.revision}:${etcd.compactRevision}:${etcd.watchers().length}`;
  },
  compute(lab: Lab, args: EtcdArgs): EtcdView {
    const etcd = lab.cluster.etcd;
    const { kvs } = etcd.range(`${REGISTRY}/`, { prefix: true, keysOnly: true });
    const history = etcd.history(etcd.compactRevision);
    const { revisions, omitted } = recentRevisions(history, args.quiet ?? false);
    const watchers = etcd.watchers();
    return {
      revision: etcd.revision,
      compactRevision: etcd.compactRevision,
      keyCount: kvs.length,
      tree: buildTree(kvs, new Set(args.expanded ?? [])),
      revisions,
      revisionsOmitted: omitted,
      ...(args.revision !== undefined ? { selectedRevision: revisionDetail(lab, args.revision) } : {}),
      ...(args.key !== undefined ? { selectedKey: keyDetail(lab, args.key) } : {}),
      watches: watchers.slice(0, WATCH_LIMIT).map((w) => ({
        key: w.key,
        ...(w.rangeEnd !== undefined ? { rangeEnd: w.rangeEnd } : {}),
        prefix: w.rangeEnd !== undefined && w.rangeEnd === prefixEnd(w.key),
        ...(w.watcher !== undefined ? { watcher: w.watcher } : {}),
        startRevision: w.startRevision,
        nextRevision: w.nextRevision,
      })),
      watchCount: watchers.length,
    };
  },
});
