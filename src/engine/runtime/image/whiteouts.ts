/**
 * Whiteouts as the OCI image-spec (layer.md, "Whiteouts") defines them in a layer tarball: a regular
 * member named `.wh.<name>` deletes `<name>` from the layers below, and a member named `.wh..wh..opq` in a
 * directory makes that directory opaque (nothing below it shows through). The whiteout files themselves are
 * never part of the unpacked file system; the snapshotter turns them into overlayfs' form (a 0:0 character
 * device, the `trusted.overlay.opaque=y` xattr), which is the VFS's business.
 */
import type { TarEntry } from './tar.ts';

/** The prefix of a whiteout's base name. */
export const WhiteoutPrefix = '.wh.';
/** The base name of an opaque-directory marker. */
export const WhiteoutOpaqueDir = '.wh..wh..opq';

/** What a layer member means for the union file system. */
export type Whiteout =
  /** `target` (an absolute path) is deleted. */
  | { kind: 'whiteout'; target: string }
  /** `dir` (an absolute path) is opaque: lower layers' contents of it are hidden. */
  | { kind: 'opaque'; dir: string };

/** The whiteout member that deletes `path` (an absolute path). */
export function whiteoutEntry(path: string, mtime = 0): TarEntry {
  const slash = path.lastIndexOf('/');
  return emptyFile(`${path.slice(0, slash)}/${WhiteoutPrefix}${path.slice(slash + 1)}`, mtime);
}

/** The member that makes directory `dir` opaque. */
export function opaqueWhiteoutEntry(dir: string, mtime = 0): TarEntry {
  return emptyFile(`${dir === '/' ? '' : dir}/${WhiteoutOpaqueDir}`, mtime);
}

/** Whether a member's path is a whiteout or opaque marker, and what it removes; undefined for ordinary members. */
export function parseWhiteout(path: string): Whiteout | undefined {
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  if (!base.startsWith(WhiteoutPrefix)) return undefined;
  const dir = path.slice(0, slash) || '/';
  if (base === WhiteoutOpaqueDir) return { kind: 'opaque', dir };
  return { kind: 'whiteout', target: `${dir === '/' ? '' : dir}/${base.slice(WhiteoutPrefix.length)}` };
}

function emptyFile(path: string, mtime: number): TarEntry {
  return { path, type: 'file', mode: 0o644, uid: 0, gid: 0, uname: 'root', gname: 'root', mtime, data: '' };
}
