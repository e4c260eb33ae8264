/**
 * graphdriver — Docker 27's image and container layers with the overlay2 storage driver (moby's
 * daemon/graphdriver/overlay2, daemon/initlayer and layer/): the driver's directories, short links and
 * `lower` files under /var/lib/docker/overlay2, the overlay mounts of `merged`, `docker diff` changes,
 * `docker ps -s` sizes, `docker info`'s driver status, the `-init` layer docker puts under every
 * container, and the layer database under /var/lib/docker/image/overlay2/layerdb.
 *
 * Left out: other drivers (vfs, btrfs, zfs, fuse-overlayfs), the containerd image store, quotas, id
 * mapping, tar-split metadata, and the naive diff.
 */
export { INIT_LAYER_PATHS, setupInitLayer } from './initLayer.ts';
export { LAYERDB, LayerStore, type LayerStoreOptions, type RoLayer, type RWLayer } from './layerStore.ts';
export { OVERLAY2_HOME, Overlay2, type GraphDriverData, type Overlay2Options } from './overlay2.ts';
