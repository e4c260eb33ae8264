/**
 * unpack — containerd's unpacker (pkg/unpack, rootfs.ApplyLayers) on the overlayfs snapshotter: for each
 * layer of an image, bottom first, its chain ID names the committed snapshot; a snapshot already there is
 * skipped (images share their base layers' snapshots), otherwise the layer is prepared under a transient
 * key `extract-<nanoseconds>-<random> <chainID>` on the previous chain ID, applied by the overlay applier
 * (diff/apply: into the overlay's upperdir with overlay whiteouts; a parentless bind mount's source gets
 * the default conversion, as its temporary mount would), and committed as the chain ID. Each snapshot is
 * labelled `containerd.io/snapshot.ref=<chainID>`.
 *
 * Left out: the content store's side (the `containerd.io/uncompressed` and gc.ref labels on the blobs),
 * the image's unpacked marker, parallel unpack and the temporary mount itself.
 */
import type { SeededRng } from '../../base/seededRng.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import { chainIds, type Digest } from '../image/digest.ts';
import type { Image } from '../image/image.ts';
import type { Layer } from '../image/layer.ts';
import { apply } from './archive/apply.ts';
import type { Mount } from './mount.ts';
import type { OverlaySnapshotter } from './overlaySnapshotter.ts';
import { SnapshotError } from './snapshotter.ts';

/** The label the unpacker puts on each layer snapshot. */
export const LABEL_SNAPSHOT_REF = 'containerd.io/snapshot.ref';

/** What `unpack` did. */
export interface UnpackResult {
  /** The chain ID of the top layer: the parent a container's snapshot is prepared on. */
  chainID: Digest;
  /** Chain IDs of the snapshots this call created (the others were present). */
  unpacked: Digest[];
}

/** Unpack `image` into `snapshotter`'s committed snapshots; `rng` draws the transient keys' random part. */
export function unpack(snapshotter: OverlaySnapshotter, image: Image, rng: SeededRng): UnpackResult {
  const chain = chainIds(image.layers.map((l) => l.diffId));
  const unpacked: Digest[] = [];
  let parent = '';
  image.layers.forEach((layer, i) => {
    const chainID = chain[i]!;
    if (!exists(snapshotter, chainID)) {
      const labels = { [LABEL_SNAPSHOT_REF]: chainID };
      const key = `extract-${(snapshotter.clock.now() % 1000) * 1_000_000}-${rng.string(BASE64_URL, 4)} ${chainID}`;
      const mounts = snapshotter.prepare(key, parent, { labels });
      applyLayer(snapshotter.vfs, mounts, layer);
      snapshotter.commit(chainID, key, { labels });
      unpacked.push(chainID);
    }
    parent = chainID;
  });
  return { chainID: parent as Digest, unpacked };
}

const BASE64_URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function exists(snapshotter: OverlaySnapshotter, key: string): boolean {
  try {
    snapshotter.stat(key);
    return true;
  } catch (error) {
    if (error instanceof SnapshotError && error.code === 'NotFound') return false;
    throw error;
  }
}

/** The overlay applier: straight into the upperdir when the mount is an overlay, else into the bind's source. */
function applyLayer(vfs: Vfs, mounts: readonly Mount[], layer: Layer): void {
  const m = mounts[0]!;
  if (mounts.length === 1 && m.type === 'overlay') {
    const upper = m.options.find((o) => o.startsWith('upperdir='))!.slice('upperdir='.length);
    apply(vfs, upper, layer.entries, { whiteouts: 'overlay' });
  } else apply(vfs, m.source, layer.entries, { whiteouts: 'naive' });
}
