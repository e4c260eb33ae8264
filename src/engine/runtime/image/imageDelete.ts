/**
 * imageDelete — dockerd's `DELETE /images/{name}` (`docker rmi`, moby daemon/images/image_delete.go) on a
 * namespace's ImageStore, with docker's rules and wording:
 * - by name: untag that reference; when it was the repository's last tag, its digest references go too;
 *   the image is deleted only when no reference is left. A container created from the image blocks
 *   untagging its last reference unless forced (`conflict: unable to remove repository reference …`).
 * - by ID or ID prefix: when all references are in one repository with at most one tag, they are all
 *   removed; otherwise, without force, `conflict: unable to delete <id> (must be forced) - image is
 *   referenced in multiple repositories`.
 * - a running container blocks deletion even when forced (`(cannot be forced) - image is being used by
 *   running container <id>`), a stopped one unless forced (`(must be forced) - image is being used by
 *   stopped container <id>`).
 * - a deletion reports `Untagged:` for each reference, `Deleted:` for the image ID, then `Deleted:` for
 *   each layer chain ID no other image uses (top layer first), and garbage-collects the content.
 * Messages are the daemon's; the CLI prints them as `Error response from daemon: <message>`.
 * Left out: parent/child images of the classic builder (`image has dependent child images`).
 */
import { chainIds, digestHex, shortId, type Digest } from './digest.ts';
import { familiarString, repositoryOf } from './familiarString.ts';
import type { ImageStore } from './imageStore.ts';
import { normalizeImageReference } from '../imageReference.ts';

/** A container as the daemon sees it when deciding conflicts. */
export interface ContainerUsingImage {
  /** Container ID (64 hex; printed truncated to 12). */
  id: string;
  /** The image ID it was created from. */
  imageId: Digest;
  /** Whether it is running (a running container blocks even a forced delete). */
  running: boolean;
}

/** Options of `docker rmi`. */
export interface ImageDeleteOptions {
  /** `-f`: remove all references, ignore stopped containers. */
  force?: boolean;
  /** The daemon's containers (for conflicts). */
  containers?: readonly ContainerUsingImage[];
}

/** One line of the result: `Untagged: nginx:latest` or `Deleted: sha256:…`. */
export type ImageDeleteResponseItem = { Untagged: string } | { Deleted: string };

/** A refused deletion; `message` is the daemon's, `statusCode` its HTTP status (404 or 409). */
export class ImageDeleteError extends Error {
  override readonly name = 'ImageDeleteError';

  constructor(
    message: string,
    /** 404 No such image, 409 conflict. */
    readonly statusCode: 404 | 409,
  ) {
    super(message);
  }
}

interface DockerImage {
  id: Digest;
  /** Record names pointing at it, other than bare image-ID records. */
  refs: string[];
  /** Its layers' diff IDs, bottom first. */
  diffIds: Digest[];
}

/** Delete or untag `refOrId` as dockerd does; returns the response lines, throws ImageDeleteError. */
export function imageDelete(store: ImageStore, refOrId: string, options: ImageDeleteOptions = {}): ImageDeleteResponseItem[] {
  const force = options.force ?? false;
  const containers = options.containers ?? [];
  const { image, byName } = findImage(store, refOrId);
  const imgId = image.id;
  let repoRefs = image.refs;
  const records: ImageDeleteResponseItem[] = [];
  let quiet = false;

  if (byName !== undefined) {
    if (!force && isSingleReference(repoRefs)) {
      const using = containers.find((c) => c.imageId === imgId);
      if (using) {
        throw new ImageDeleteError(
          `conflict: unable to remove repository reference "${refOrId}" (must force) - container ${shortId(using.id)} is using its referenced image ${shortId(imgId)}`,
          409,
        );
      }
    }
    store.delete(byName);
    records.push({ Untagged: familiarString(byName) });
    repoRefs = repoRefs.filter((r) => r !== byName);
    if (!isCanonical(byName)) {
      const repo = repositoryOf(byName);
      const tagLeft = repoRefs.some((r) => !isCanonical(r) && repositoryOf(r) === repo);
      if (!tagLeft) {
        for (const r of repoRefs.filter((r) => isCanonical(r) && repositoryOf(r) === repo)) {
          store.delete(r);
          records.push({ Untagged: familiarString(r) });
        }
        repoRefs = repoRefs.filter((r) => !(isCanonical(r) && repositoryOf(r) === repo));
      }
    }
    if (repoRefs.length > 0) return records;
    quiet = true;
  } else if (isSingleReference(repoRefs)) {
    const conflict = checkConflict(imgId, repoRefs, containers, { activeReferences: false, stopped: !force });
    if (conflict) throw conflict;
    for (const r of repoRefs) {
      store.delete(r);
      records.push({ Untagged: familiarString(r) });
    }
    repoRefs = [];
  }

  const conflict = checkConflict(imgId, repoRefs, containers, { activeReferences: !force, stopped: !force });
  if (conflict) {
    if (quiet && conflict.used) return records;
    throw conflict.error;
  }
  return [...records, ...deleteImage(store, image)];
}

/** Remove every reference to the image, report the ID and freed layers, collect the content. */
function deleteImage(store: ImageStore, image: DockerImage): ImageDeleteResponseItem[] {
  const records: ImageDeleteResponseItem[] = [];
  for (const r of store.list().filter((r) => safeId(store, r.name) === image.id)) {
    store.delete(r.name);
    if (!isImageIdName(r.name)) records.push({ Untagged: familiarString(r.name) });
  }
  records.push({ Deleted: image.id });
  const stillUsed = new Set<Digest>();
  for (const r of store.list()) {
    for (const c of chainIds(store.resolve(r).config.rootfs.diff_ids)) stillUsed.add(c);
  }
  for (const c of chainIds(image.diffIds).reverse()) if (!stillUsed.has(c)) records.push({ Deleted: c });
  store.content.garbageCollect();
  return records;
}

interface Conflict {
  error: ImageDeleteError;
  used: boolean;
}

function checkConflict(
  imgId: Digest,
  repoRefs: string[],
  containers: readonly ContainerUsingImage[],
  mask: { activeReferences: boolean; stopped: boolean },
): Conflict | undefined {
  const fail = (hard: boolean, message: string, used: boolean): Conflict => ({
    error: new ImageDeleteError(`conflict: unable to delete ${shortId(imgId)} (${hard ? 'cannot be forced' : 'must be forced'}) - ${message}`, 409),
    used,
  });
  const running = containers.find((c) => c.imageId === imgId && c.running);
  if (running) return fail(true, `image is being used by running container ${shortId(running.id)}`, true);
  if (mask.activeReferences && repoRefs.length > 1) return fail(false, 'image is referenced in multiple repositories', false);
  if (mask.stopped) {
    const stopped = containers.find((c) => c.imageId === imgId && !c.running);
    if (stopped) return fail(false, `image is being used by stopped container ${shortId(stopped.id)}`, true);
  }
  return undefined;
}

/** All references in one repository with at most one tag (moby's isSingleReference). */
function isSingleReference(refs: string[]): boolean {
  if (refs.length <= 1) return refs.length === 1;
  const tags = refs.filter((r) => !isCanonical(r));
  if (tags.length > 1) return false;
  const canonicalRepos = new Set(refs.filter(isCanonical).map(repositoryOf));
  const single = tags[0] ?? refs[0]!;
  return canonicalRepos.size === 1 && canonicalRepos.has(repositoryOf(single));
}

function isCanonical(name: string): boolean {
  return name.includes('@');
}

function isImageIdName(name: string): boolean {
  return /^sha256:[0-9a-f]{64}$/.test(name);
}

function safeId(store: ImageStore, name: string): Digest | undefined {
  const record = store.get(name);
  if (!record) return undefined;
  try {
    return store.resolve(record).id;
  } catch {
    return undefined;
  }
}

/** Find the image `refOrId` names: a reference first, then a full ID or an ID prefix (as GetImage does). */
function findImage(store: ImageStore, refOrId: string): { image: DockerImage; byName?: string } {
  const ids = new Map<Digest, DockerImage>();
  for (const r of store.list()) {
    const id = safeId(store, r.name);
    if (!id) continue;
    const image = ids.get(id) ?? { id, refs: [], diffIds: store.resolve(r).config.rootfs.diff_ids };
    if (!isImageIdName(r.name)) image.refs.push(r.name);
    ids.set(id, image);
  }
  const looksLikeId = /^(sha256:)?[0-9a-f]+$/.test(refOrId);
  const fullId = /^(sha256:)?[0-9a-f]{64}$/.test(refOrId);
  if (!fullId) {
    const name = normalizeImageReference(refOrId);
    const record = store.get(name);
    const id = record && safeId(store, name);
    if (id) return { image: ids.get(id)!, byName: name };
  }
  if (looksLikeId) {
    const prefix = refOrId.replace(/^sha256:/, '');
    const matches = [...ids.keys()].filter((id) => digestHex(id).startsWith(prefix));
    if (matches.length > 1) throw new ImageDeleteError(`multiple IDs found with provided prefix: ${prefix}`, 409);
    if (matches.length === 1) return { image: ids.get(matches[0]!)! };
  }
  const shown = looksLikeId ? refOrId : familiarString(normalizeImageReference(refOrId));
  throw new ImageDeleteError(`No such image: ${shown}`, 404);
}
