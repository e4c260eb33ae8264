/**
 * snapshots — containerd's snapshotter layer for a node: the Snapshotter API (prepare, view, commit,
 * mounts, remove, stat, update, usage, walk), its metadata store, the overlayfs snapshotter's directories
 * under /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs, the mounts it hands out and mount.All
 * to mount them, continuity's DiskUsage, and the unpacker that turns an image's layers into committed
 * snapshots named by chain ID. archive/ holds layer apply and diff, shared with docker's graph driver.
 *
 * Left out: other snapshotters (native, btrfs, devmapper, remote/stargz), namespaces and the metadata
 * layer that prefixes keys per namespace, leases, GC labels, the gRPC service, and the bolt file's bytes.
 */
export { diskUsage } from './diskUsage.ts';
export { MetaStore, type StoredSnapshot } from './metaStore.ts';
export { mountAll, parseMountOptions, unmountAll, type Mount } from './mount.ts';
export { OVERLAYFS_ROOT, OverlaySnapshotter, type OverlaySnapshotterOptions } from './overlaySnapshotter.ts';
export { SnapshotError, type Info, type Kind, type SnapshotErrorCode, type SnapshotOpts, type Snapshotter, type Usage } from './snapshotter.ts';
export { LABEL_SNAPSHOT_REF, unpack, type UnpackResult } from './unpack.ts';
export * from './archive/index.ts';
