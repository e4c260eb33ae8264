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
import { machine, type Arch, type Rootfs } from './rootfs.ts';

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
  for (const pkg of packages) {
    for (const f of pkg.files) {
      if ('bin' in f) fs.binary(f.bin, apkProgram(f), f.size);
      else if ('lib' in f) fs.library(f.lib, f.size);
      else if ('file' in f) fs.file(f.file, f.data, { mode: f.mode ?? 0o644 });
      else fs.symlink(f.link, f.target);
    }
  }
  return packages.map((pkg) => `${apkRecord(pkg, fs.arch, buildTime)}\n`).join('');
}

/** The program a binary of a package stands for: its own, or its base name. */
export function apkProgram(f: { bin: string; program?: string }): string {
  return f.program ?? f.bin.slice(f.bin.lastIndexOf('/') + 1);
}

/** The path a package file is installed at. */
export function apkPath(f: ApkFile): string {
  return 'bin' in f ? f.bin : 'lib' in f ? f.lib : 'file' in f ? f.file : f.link;
}

/** The bytes a package file takes once installed (symlinks count nothing, as apk counts them). */
export function apkFileSize(f: ApkFile): number {
  return 'bin' in f || 'lib' in f ? f.size : 'file' in f ? utf8.encode(f.data).length : 0;
}

/** A package's `S:` (its .apk's size) and `I:` (installed size) as the catalogue derives them from its files. */
export function apkSizes(pkg: ApkPackage): { size: number; installed: number } {
  const installed = pkg.files.reduce((sum, f) => sum + apkFileSize(f), 0);
  return { size: Math.max(4096, Math.round(installed * 0.42)), installed: Math.ceil(installed / 4096) * 4096 };
}

/** One package's record of /lib/apk/db/installed, ending with its last line's newline. */
export function apkRecord(pkg: ApkPackage, arch: Arch, buildTime: number): string {
  const byDir = new Map<string, string[]>();
  for (const f of pkg.files) {
    const path = apkPath(f);
    // The checksum of the content the file holds here: a sparse file's head is its path, a link's its target.
    const data = 'file' in f ? f.data : 'link' in f ? f.target : path;
    const slash = path.lastIndexOf('/');
    const dir = path.slice(1, slash);
    const lines = byDir.get(dir) ?? [];
    lines.push(`R:${path.slice(slash + 1)}`, `Z:Q1${encodeBase64(sha1(utf8.encode(data)))}`);
    byDir.set(dir, lines);
  }
  const { size, installed } = apkSizes(pkg);
  const header = [
    `C:Q1${encodeBase64(sha1(utf8.encode(`${pkg.name}-${pkg.version}`)))}`,
    `P:${pkg.name}`,
    `V:${pkg.version}`,
    `A:${machine(arch)}`,
    `S:${size}`,
    `I:${installed}`,
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
  return [...header, ...body].join('\n') + '\n';
}
