/**
 * archive — layer tarballs to directories and back, as containerd's pkg/archive and moby's pkg/archive do
 * it for the overlay snapshotter and the overlay2 graph driver: `apply` (archive.Apply with overlay or
 * naive whiteout conversion), `diff` (a layer from an overlay upper directory, whiteouts and opaque
 * directories in OCI form), `overlayChanges` (what `docker diff` lists) and `removeAll` (os.RemoveAll).
 * Members are TarEntry lists (runtime/image); compression and the tar bytes are image/'s business.
 *
 * Left out: xattrs other than overlay's opaque marker, FIFOs, sockets and block devices, id mapping,
 * containerd's WithParents, and the naive double-walk diff of two directories.
 */
export { apply, cleanPath, scoped, type ApplyOptions, type WhiteoutFormat } from './apply.ts';
export { diff } from './diff.ts';
export { CHANGE_KIND_API, formatChanges, overlayChanges, type Change, type ChangeKind } from './changes.ts';
export { lstatIfExists, removeAll } from './removeAll.ts';
