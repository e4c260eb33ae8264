/**
 * apk packages as the catalogue's Alpine images install them: each package's files go into a Rootfs, and
 * its record into apk's database `/lib/apk/db/installed` in apk-tools' format (`C:` checksum, `P:` name,
 * `V:` version, `A:` arch, `S:`/`I:` package and installed size, `T:` description, `U:` url, `L:` license,
 * `o:` origin, `m:` maintainer, `t:` build time, `D:` dependencies, `p:` provides, then `F:` per directory
 * with its `R:` files and their `Z:` checksums; a blank line ends each record). Checksums are apk's `Q1` +
 * base64(sha1) of the content the file holds here.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { encodeBase64 } from '../../../base/base64.ts';
import { machine, type Rootfs } from './rootfs.ts';

/** A file an apk package installs. */
export type ApkFile =
  /** An executable of `size` bytes standing for `program` (default: its base name). */
  | { bin: string; size: number; program?: string }
  /** A shared library or data blob of `size` bytes. */
  | { lib: string; size: number }
  /** A text file. */
  | { file: string; data: string; mode?: number }
  /** A symlink. */
  | { link: string; target: string };

/** One apk package. */
export interface ApkPackage {
  /** Package name (`P:`). */
  name: string;
  /** Version (`V:`). */
  version: string;
  /** One-line description (`T:`). */
  description: string;
  /** Upstream url (`U:`). */
  url: string;
  /** License (`L:`). */
  license: string;
  /** Origin (`o:`, the aports directory); defaults to the name. */
  origin?: string;
  /** Dependencies (`D:`). */
  depends?: string;
  /** Provides (`p:`). */
  provides?: string;
  /** The files it installs. */
  files: ApkFile[];
}

const utf8 = new TextEncoder();

/** Install `packages` into `fs` and return the text of /lib/apk/db/installed for them. */
export function installApk(fs: Rootfs, packages: readonly ApkPackage[], buildTime: number): string {
  const records: string[] = [];
  for (const pkg of packages) {
    const byDir = new Map<string, string[]>();
    let installed = 0;
    for (const f of pkg.files) {
      let path: string;
      let data: string;
      if ('bin' in f) {
        path = f.bin;
        fs.binary(path, f.program ?? path.slice(path.lastIndexOf('/') + 1), f.size);
        data = path;
        installed += f.size;
      } else if ('lib' in f) {
        path = f.lib;
        fs.library(path, f.size);
        data = path;
        installed += f.size;
      } else if ('file' in f) {
        path = f.file;
        fs.file(path, f.data, { mode: f.mode ?? 0o644 });
        data = f.data;
        installed += utf8.encode(f.data).length;
      } else {
        path = f.link;
        fs.symlink(path, f.target);
        data = f.target;
      }
      const slash = path.lastIndexOf('/');
      const dir = path.slice(1, slash);
      const lines = byDir.get(dir) ?? [];
      lines.push(`R:${path.slice(slash + 1)}`, `Z:Q1${encodeBase64(sha1(utf8.encode(data)))}`);
      byDir.set(dir, lines);
    }
    const size = Math.max(4096, Math.round(installed * 0.42));
    const header = [
      `C:Q1${encodeBase64(sha1(utf8.encode(`${pkg.name}-${pkg.version}`)))}`,
      `P:${pkg.name}`,
      `V:${pkg.version}`,
      `A:${machine(fs.arch)}`,
      `S:${size}`,
      `I:${Math.ceil(installed / 4096) * 4096}`,
      `T:${pkg.description}`,
      `U:${pkg.url}`,
      `L:${pkg.license}`,
      `o:${pkg.origin ?? pkg.name}`,
      'm:Natanael Copa <ncopa@alpinelinux.org>',
      `t:${buildTime}`,
      ...(pkg.depends ? [`D:${pkg.depends}`] : []),
      ...(pkg.provides ? [`p:${pkg.provides}`] : []),
    ];
    const body = [...byDir].sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([dir, lines]) => [`F:${dir}`, ...lines]);
    records.push([...header, ...body].join('\n') + '\n');
  }
  return records.map((r) => `${r}\n`).join('');
}
