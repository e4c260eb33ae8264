/**
 * ControllerRevision history — pkg/controller/history/controller_history.go: how the StatefulSet and
 * DaemonSet controllers keep the versions of their pod template as ControllerRevisions. A revision is
 * named `<owner>-<hash>`, carries the owner's template labels plus `controller-revision-hash: <hash>`,
 * a controller reference to its owner, the serialized state (`data`) and an increasing `revision`
 * number. Two revisions are equal when their data is; re-applying an older template (a rollback) raises
 * that revision's number instead of creating a copy. A name already taken by different data is a hash
 * collision: the collision count is bumped and the name computed again. Old revisions beyond the
 * owner's revisionHistoryLimit are deleted oldest first, never one still in use.
 *
 * `hashControllerRevision` hashes the data's canonical JSON with hash.ts's FNV-1a (upstream uses FNV-1
 * over the raw bytes), the collision count appended as decimal text, as upstream: names differ from a
 * real cluster's but behave the same.
 *
 * Left out: ReleaseControllerRevision (neither controller calls it; the DaemonSet's releases go through
 * ControllerRefManager) and the fake history of upstream's tests. Updates retry a conflict at once,
 * re-reading the revision, instead of backing off.
 */
import type { ControllerRevision } from 'kubernetes-types/apps/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { isAlreadyExists, isConflict } from '../../api/errors.ts';
import type { Selector } from '../../api/labels/selector.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { KubeObject, ResourceClient } from '../../client/rest/restClient.ts';
import { canonicalJson, fnv32a, safeEncodeString } from '../hash.ts';
import { getControllerOf, newControllerRef } from '../podControl.ts';
import { deepCopy } from '../../base/deepFreeze.ts';

/** apps.ControllerRevisionHashLabelKey (= DefaultDaemonSetUniqueLabelKey = StatefulSetRevisionLabel). */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

/** How many conflicting updates of a revision are retried (retry.DefaultBackoff's steps). */
const UPDATE_RETRIES = 4;

export type ControllerRevisionObject = ControllerRevision & KubeObject;

/** ControllerRevisionName: `<prefix>-<hash>`, the prefix cut to 223 characters so the name stays valid. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** HashControllerRevision: the hash of the revision's data, and of the collision count when given. */
export function hashControllerRevision(revision: ControllerRevision, probe?: number): string {
  let hash = fnv32a(revision.data === undefined ? '' : canonicalJson(revision.data));
  if (probe !== undefined) hash = fnv32a(String(probe), hash);
  return safeEncodeString(String(hash >>> 0));
}

/**
 * NewControllerRevision: a revision of `parent` holding `data`, with the template's labels, the hash
 * label, a controller reference, and a name from the hash.
 */
export function newControllerRevision(
  parent: KubeObject,
  parentApiVersion: string,
  parentKind: string,
  templateLabels: Readonly<Record<string, string>> | undefined,
  data: unknown,
  revision: number,
  collisionCount?: number,
): ControllerRevisionObject {
  const labels: Record<string, string> = { ...templateLabels };
  const cr: ControllerRevisionObject = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { labels, ownerReferences: [newControllerRef(parent, parentApiVersion, parentKind)] },
    data: data as ControllerRevision['data'],
    revision,
  };
  const hash = hashControllerRevision(cr, collisionCount);
  cr.metadata!.name = controllerRevisionName(parent.metadata?.name ?? '', hash);
  labels[CONTROLLER_REVISION_HASH_LABEL] = hash;
  return cr;
}

function creationTime(cr: ControllerRevision): number {
  const t = cr.metadata?.creationTimestamp;
  return t ? Date.parse(t) : 0;
}

/** byRevision.Less: lower revision first, then older, then by name. */
function revisionLess(a: ControllerRevision, b: ControllerRevision): boolean {
  if (a.revision !== b.revision) return a.revision < b.revision;
  const ta = creationTime(a);
  const tb = creationTime(b);
  if (ta !== tb) return ta < tb;
  return (a.metadata?.name ?? '') < (b.metadata?.name ?? '');
}

/** SortControllerRevisions: a sorted copy, lowest revision first. */
export function sortControllerRevisions<T extends ControllerRevision>(revisions: readonly T[]): T[] {
  return [...revisions].sort((a, b) => (revisionLess(a, b) ? -1 : revisionLess(b, a) ? 1 : 0));
}

/** EqualRevision: both absent, or the same data (hash labels, when both parse, must agree too). */
export function equalRevision(lhs: ControllerRevision | undefined, rhs: ControllerRevision | undefined): boolean {
  if (!lhs || !rhs) return lhs === rhs;
  const lh = lhs.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  const rh = rhs.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  const parse = (s: string | undefined) => (s !== undefined && /^[+-]?\d+$/.test(s) ? Number(s) : undefined);
  const ln = parse(lh);
  const rn = parse(rh);
  if (ln !== undefined && rn !== undefined && ln !== rn) return false;
  return canonicalJson(lhs.data) === canonicalJson(rhs.data);
}

/** FindEqualRevisions: the revisions whose data equals `needle`'s, in the order given. */
export function findEqualRevisions<T extends ControllerRevision>(revisions: readonly T[], needle: ControllerRevision): T[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/** The highest revision number (0 for none). */
export function maxRevision(revisions: readonly ControllerRevision[]): number {
  let max = 0;
  for (const r of revisions) if (r.revision > max) max = r.revision;
  return max;
}

/**
 * The revisions to delete to keep a history: up to `excess` of them, oldest first, skipping the live
 * ones. `revisions` must be sorted (sortControllerRevisions). The StatefulSet controller passes its
 * non-live revisions beyond the limit; the DaemonSet controller counts its live old revisions against
 * the limit too (cleanupHistory), so it passes `old.length - limit`.
 */
export function revisionsToTruncate<T extends ControllerRevision>(revisions: readonly T[], isLive: (revision: T) => boolean, excess: number): T[] {
  const out: T[] = [];
  for (const revision of revisions) {
    if (out.length >= excess) break;
    if (!isLive(revision)) out.push(revision);
  }
  return out;
}

/** history.Interface over the API (realHistory): reads from the informer's cache, writes through the client. */
export class History {
  constructor(
    private readonly client: ResourceClient<ControllerRevisionObject>,
    private readonly lister: Lister<ControllerRevisionObject>,
  ) {}

  /** The revisions in the parent's namespace matching `selector` that the parent owns or no one does. */
  listControllerRevisions(parent: KubeObject, selector: Selector): ControllerRevisionObject[] {
    const uid = parent.metadata?.uid;
    return this.lister
      .byNamespace(parent.metadata?.namespace ?? '')
      .list(selector)
      .filter((r) => {
        const ref = getControllerOf(r);
        return !ref || ref.uid === uid;
      });
  }

  /**
   * Create `revision` for `parent`, named from its hash and the collision count; a name taken by a
   * revision with other data bumps the count and tries again. Resolves with the revision stored (an
   * existing equal one is returned as it is) and the collision count used.
   */
  async createControllerRevision(parent: KubeObject, revision: ControllerRevisionObject, collisionCount: number): Promise<{ revision: ControllerRevisionObject; collisionCount: number }> {
    const namespace = parent.metadata?.namespace ?? '';
    const clone = deepCopy(revision);
    let count = collisionCount;
    for (;;) {
      const name = controllerRevisionName(parent.metadata?.name ?? '', hashControllerRevision(revision, count));
      clone.metadata = { ...clone.metadata, name };
      try {
        return { revision: await this.client.create(namespace, clone), collisionCount: count };
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
        const exists = await this.client.get(namespace, name);
        if (canonicalJson(exists.data) === canonicalJson(clone.data)) return { revision: exists, collisionCount: count };
        count++;
      }
    }
  }

  async deleteControllerRevision(revision: ControllerRevisionObject): Promise<void> {
    await this.client.delete(revision.metadata?.namespace ?? '', revision.metadata?.name ?? '');
  }

  /** Give `revision` the number `newRevision` (a rollback to it), retrying conflicts. */
  async updateControllerRevision(revision: ControllerRevisionObject, newRevision: number): Promise<ControllerRevisionObject> {
    let clone = deepCopy(revision);
    for (let attempt = 0; ; attempt++) {
      if (clone.revision === newRevision) return clone;
      clone.revision = newRevision;
      try {
        return await this.client.update(clone.metadata?.namespace ?? '', clone);
      } catch (error) {
        if (!isConflict(error) || attempt >= UPDATE_RETRIES) throw error;
        const cached = this.lister.byNamespace(clone.metadata?.namespace ?? '').get(clone.metadata?.name ?? '');
        clone = deepCopy(cached ?? (await this.client.get(clone.metadata?.namespace ?? '', clone.metadata?.name ?? '')));
      }
    }
  }

  /** AdoptControllerRevision: patch the controller reference of an orphan revision onto it. */
  async adoptControllerRevision(parent: KubeObject, parentApiVersion: string, parentKind: string, revision: ControllerRevisionObject): Promise<ControllerRevisionObject> {
    const owner = getControllerOf(revision);
    if (owner) throw new Error(`attempt to adopt revision owned by ${JSON.stringify(owner)}`);
    const ref: OwnerReference = newControllerRef(parent, parentApiVersion, parentKind);
    return this.client.patch(parent.metadata?.namespace ?? '', revision.metadata?.name ?? '', 'strategic', { metadata: { uid: revision.metadata?.uid, ownerReferences: [ref] } });
  }
}
