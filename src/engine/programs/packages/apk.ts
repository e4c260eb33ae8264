/**
 * apk — apk-tools 2.14 of Alpine 3.20 against the lab's offline mirror (../../runtime/registry/catalogue/
 * apkMirror.ts): `update` (fetches each repository of /etc/apk/repositories into /var/cache/apk), `add`
 * (resolves dependencies by name and `so:`/`cmd:` provides, downloads by size on virtual time, unpacks the
 * files, appends to /lib/apk/db/installed, records the world, runs the triggers /lib/apk/db/triggers
 * names), `del` (drops from the world and purges what nothing else needs), `info` (the installed names,
 * `-v` with versions, `-vv` with descriptions, or one package's description, webpage and size). Indexes
 * older than four hours are fetched again; `--no-cache` never keeps them. The database is locked for
 * writing, so a user who may not write /lib/apk/db fails as apk does (status 99).
 *
 * Left out: version constraints (the newest in the index is taken), `upgrade`, `search`, `fix`, virtual
 * packages (`-t`), signatures, install scripts, and the rest of apk's applets and options.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import { MAY_WRITE } from '../../kernel/fs/permission.ts';
import type { Host } from '../../kernel/host.ts';
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import { apkPath, apkRecord, apkSizes } from '../../runtime/registry/catalogue/apk.ts';
import { APK_MIRROR_BUILD_TIME, APK_REPOSITORIES, APK_TRIGGERS, apkIndex, type ApkIndexPackage } from '../../runtime/registry/catalogue/apkMirror.ts';
import { archOf, downloadMs, exists, pause, removeIfPresent, unpack } from './packageFiles.ts';

/** apk's version. */
export const APK_VERSION = '2.14.4';

const INSTALLED = '/lib/apk/db/installed';
const WORLD = '/etc/apk/world';
const TRIGGERS = '/lib/apk/db/triggers';
const CACHE = '/var/cache/apk';
/** apk's --cache-max-age default: four hours. */
const CACHE_MAX_AGE_MS = 4 * 3600_000;

/** An installed package as /lib/apk/db/installed records it. */
interface Installed {
  name: string;
  version: string;
  description: string;
  url: string;
  installedSize: number;
  depends: string[];
  provides: string[];
  files: string[];
  record: string;
}

/** The packages of /lib/apk/db/installed. */
function parseInstalled(text: string): Installed[] {
  const out: Installed[] = [];
  for (const record of text.split('\n\n')) {
    if (!record.trim()) continue;
    const pkg: Installed = { name: '', version: '', description: '', url: '', installedSize: 0, depends: [], provides: [], files: [], record: `${record.replace(/\n+$/, '')}\n` };
    let dir = '';
    for (const line of record.split('\n')) {
      const value = line.slice(2);
      switch (line.slice(0, 2)) {
        case 'P:': pkg.name = value; break;
        case 'V:': pkg.version = value; break;
        case 'T:': pkg.description = value; break;
        case 'U:': pkg.url = value; break;
        case 'I:': pkg.installedSize = Number(value); break;
        case 'D:': pkg.depends = value.split(' ').filter(Boolean); break;
        case 'p:': pkg.provides = value.split(' ').filter(Boolean); break;
        case 'F:': dir = value; break;
        case 'R:': pkg.files.push(`/${dir}/${value}`); break;
      }
    }
    out.push(pkg);
  }
  return out;
}

/** A dependency's name: `musl>=1.2`, `so:libz.so.1=1` → `musl`, `so:libz.so.1`. */
function depName(dep: string): string {
  return dep.replace(/^!/, '').split(/[<>=~]/)[0]!;
}

/** apk's human size: bytes, scaled by 1024 while 10000 or more. */
function humanSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let size = bytes;
  while (size >= 10000 && i < units.length - 1) {
    size /= 1024;
    i++;
  }
  return `${Math.trunc(size)} ${units[i]}`;
}

class ApkError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export class Apk implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    void this.run(sys).then(
      (status) => sys.exit(status),
      (error: unknown) => {
        sys.process.stdio.stderr.write(error instanceof ApkError ? error.message : `ERROR: ${String(error)}\n`);
        sys.exit(error instanceof ApkError ? error.status : 1);
      },
    );
  }

  private async run(sys: ProgramContext): Promise<number> {
    const { process } = sys;
    const out = (text: string) => process.stdio.stdout.write(text);
    const args = process.argv.slice(1);
    let verbose = 0;
    let quiet = false;
    let noCache = false;
    let updateCache = false;
    let applet: string | undefined;
    const operands: string[] = [];
    for (const arg of args) {
      if (arg === '--no-cache') noCache = true;
      else if (arg === '-U' || arg === '--update-cache') updateCache = true;
      else if (arg === '-q' || arg === '--quiet') quiet = true;
      else if (/^-v+$/.test(arg)) verbose += arg.length - 1;
      else if (arg === '--verbose') verbose++;
      else if (arg === '-V' || arg === '--version') {
        out(`apk-tools ${APK_VERSION}, compiled for ${this.host.machine}.\n`);
        return 0;
      } else if (arg.startsWith('-')) throw new ApkError(`apk: unrecognized option '${arg.replace(/^--?/, '')}'\n`, 1);
      else if (applet === undefined) applet = arg;
      else operands.push(arg);
    }
    const vfs = this.host.vfsFor(process);
    const arch = archOf(this.host.machine);
    const msg = (text: string) => {
      if (!quiet) out(text);
    };
    if (applet === 'info') return this.info(vfs, operands, verbose, out);
    if (applet !== 'update' && applet !== 'add' && applet !== 'del') {
      out(`apk-tools ${APK_VERSION}, compiled for ${this.host.machine}.\n\nusage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]\n`);
      return 1;
    }
    try {
      vfs.access('/lib/apk/db', MAY_WRITE);
    } catch {
      throw new ApkError('ERROR: Unable to lock database: Permission denied\nERROR: Failed to open apk database: Permission denied\n', 99);
    }
    if (applet === 'del') return operands.length ? this.del(vfs, operands, msg) : 1;
    // Only update and add need the repositories: del works on the installed database alone.
    const fetched = await this.openRepositories(sys, vfs, { force: applet === 'update' || updateCache, keep: !noCache, msg });
    const index = apkIndex(arch).filter((p) => fetched.available.has(p.repository));
    if (applet === 'update') {
      for (const repo of fetched.repos) if (fetched.available.has(repo.url)) msg(`${repo.describe} [${repo.url}]\n`);
      const distinct = new Set([...index.map((p) => `${p.name}-${p.version}`), ...this.installed(vfs).map((p) => `${p.name}-${p.version}`)]).size;
      const status = fetched.unavailable;
      msg(`${status ? `${status} unavailable, 0 stale;` : 'OK:'} ${distinct} distinct packages available\n`);
      return status;
    }
    if (operands.length === 0) {
      out(`apk-tools ${APK_VERSION}, compiled for ${this.host.machine}.\n\nusage: apk ${applet} [<OPTIONS>...] PACKAGE...\n`);
      return 1;
    }
    return this.add(sys, vfs, index, operands, msg);
  }

  /** The repositories of /etc/apk/repositories, fetched when forced or when the cached index is stale. */
  private async openRepositories(sys: ProgramContext, vfs: Vfs, options: { force: boolean; keep: boolean; msg: (t: string) => void }): Promise<{ repos: { url: string; describe: string }[]; available: Set<string>; unavailable: number }> {
    const urls = exists(vfs, '/etc/apk/repositories') ? vfs.readFile('/etc/apk/repositories').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')) : [];
    const repos: { url: string; describe: string }[] = [];
    const available = new Set<string>();
    let unavailable = 0;
    for (const url of urls) {
      const index = `${url}/${this.host.machine}/APKINDEX.tar.gz`;
      const cached = `${CACHE}/APKINDEX.${hex(sha1(new TextEncoder().encode(url))).slice(0, 8)}.tar.gz`;
      const mirror = APK_REPOSITORIES.find((r) => r.url === url);
      let fresh = false;
      if (!options.force && options.keep && exists(vfs, cached)) fresh = sys.now() - vfs.stat(cached).mtimeMs < CACHE_MAX_AGE_MS;
      if (!fresh) {
        options.msg(`fetch ${index}\n`);
        if (!mirror) {
          sys.process.stdio.stderr.write(`WARNING: updating and opening ${index}: DNS lookup error\n`);
          unavailable++;
          continue;
        }
        await pause(sys, downloadMs(mirror.indexSize));
        if (options.keep && exists(vfs, CACHE)) vfs.writeFile(cached, '\u001f\u008b', { apparentSize: mirror.indexSize });
      }
      if (mirror) {
        repos.push(mirror);
        available.add(url);
      }
    }
    return { repos, available, unavailable };
  }

  private installed(vfs: Vfs): Installed[] {
    return exists(vfs, INSTALLED) ? parseInstalled(vfs.readFile(INSTALLED)) : [];
  }

  private world(vfs: Vfs): string[] {
    return exists(vfs, WORLD) ? vfs.readFile(WORLD).split(/\s+/).filter(Boolean) : [];
  }

  private async add(sys: ProgramContext, vfs: Vfs, index: ApkIndexPackage[], names: string[], msg: (t: string) => void): Promise<number> {
    const installed = this.installed(vfs);
    const have = new Set(installed.map((p) => p.name));
    const provider = (dep: string): ApkIndexPackage | undefined => {
      const name = depName(dep);
      return index.find((p) => p.name === name) ?? index.find((p) => (p.provides ?? '').split(' ').some((q) => depName(q) === name));
    };
    const providedHere = (dep: string) => {
      const name = depName(dep);
      return installed.some((p) => p.name === name || p.provides.some((q) => depName(q) === name));
    };
    const missing = names.filter((n) => !provider(n) && !providedHere(n));
    if (missing.length > 0) {
      const lines = missing.map((n) => `  ${n} (no such package):\n    required by: world[${n}]\n`).join('');
      throw new ApkError(`ERROR: unable to select packages:\n${lines}`, missing.length);
    }
    const plan: ApkIndexPackage[] = [];
    const visit = (dep: string) => {
      if (providedHere(dep) || plan.some((p) => p.name === depName(dep) || (p.provides ?? '').split(' ').some((q) => depName(q) === depName(dep)))) return;
      const pkg = provider(dep);
      if (!pkg || have.has(pkg.name)) return;
      for (const d of (pkg.depends ?? '').split(' ').filter(Boolean)) visit(d);
      if (!plan.includes(pkg)) plan.push(pkg);
    };
    for (const name of names) visit(name);
    const arch = archOf(this.host.machine);
    let db = exists(vfs, INSTALLED) ? vfs.readFile(INSTALLED) : '';
    const fired = new Set<string>();
    const triggers = this.triggers(vfs);
    for (const [i, pkg] of plan.entries()) {
      msg(`(${i + 1}/${plan.length}) Installing ${pkg.name} (${pkg.version})\n`);
      await pause(sys, downloadMs(apkSizes(pkg).size));
      for (const file of pkg.files) {
        unpack(vfs, file, arch);
        const dir = apkPath(file).slice(0, apkPath(file).lastIndexOf('/'));
        for (const [owner, globs] of triggers) if (globs.some((g) => globMatch(g, dir))) fired.add(owner);
      }
      db += `${apkRecord(pkg, arch, APK_MIRROR_BUILD_TIME)}\n`;
      vfs.writeFile(INSTALLED, db);
      const trigger = APK_TRIGGERS[pkg.name];
      if (trigger) {
        vfs.writeFile(TRIGGERS, `${pkg.name} ${trigger}\n`, { append: true });
        fired.add(pkg.name);
        triggers.push([pkg.name, trigger.split(' ')]);
      }
    }
    const world = [...new Set([...this.world(vfs), ...names])].sort();
    vfs.writeFile(WORLD, `${world.join('\n')}\n`);
    const now = this.installed(vfs);
    for (const [owner] of triggers) {
      const pkg = now.find((p) => p.name === owner);
      if (fired.has(owner) && pkg) msg(`Executing ${pkg.name}-${pkg.version}.trigger\n`);
    }
    msg(this.summary(now));
    return 0;
  }

  private del(vfs: Vfs, names: string[], msg: (t: string) => void): number {
    const installed = this.installed(vfs);
    const world = this.world(vfs).filter((n) => !names.includes(n));
    const byName = (dep: string) => {
      const name = depName(dep);
      return installed.find((p) => p.name === name) ?? installed.find((p) => p.provides.some((q) => depName(q) === name));
    };
    const closure = (roots: string[]) => {
      const seen = new Set<Installed>();
      const walk = (dep: string) => {
        const pkg = byName(dep);
        if (!pkg || seen.has(pkg)) return;
        seen.add(pkg);
        for (const d of pkg.depends) walk(d);
      };
      roots.forEach(walk);
      return seen;
    };
    const kept = closure(world);
    const order: Installed[] = [];
    const removed = closure(names);
    // Dependents go before what they depend on, as apk purges them.
    const visit = (pkg: Installed, seen: Set<Installed>) => {
      if (seen.has(pkg)) return;
      seen.add(pkg);
      for (const other of removed) if (other.depends.some((d) => byName(d) === pkg)) visit(other, seen);
      if (!kept.has(pkg)) order.push(pkg);
    };
    const seen = new Set<Installed>();
    for (const pkg of [...removed].reverse()) visit(pkg, seen);
    const triggers = this.triggers(vfs);
    const fired = new Set<string>();
    for (const [i, pkg] of order.entries()) {
      msg(`(${i + 1}/${order.length}) Purging ${pkg.name} (${pkg.version})\n`);
      for (const file of pkg.files) {
        removeIfPresent(vfs, file);
        const dir = file.slice(0, file.lastIndexOf('/'));
        for (const [owner, globs] of triggers) if (owner !== pkg.name && globs.some((g) => globMatch(g, dir))) fired.add(owner);
      }
    }
    const left = installed.filter((p) => !order.includes(p));
    vfs.writeFile(INSTALLED, left.map((p) => `${p.record}\n`).join(''));
    vfs.writeFile(WORLD, `${world.join('\n')}\n`);
    vfs.writeFile(TRIGGERS, triggers.filter(([owner]) => left.some((p) => p.name === owner)).map(([owner, globs]) => `${owner} ${globs.join(' ')}\n`).join(''));
    for (const [owner] of triggers) {
      const pkg = left.find((p) => p.name === owner);
      if (fired.has(owner) && pkg) msg(`Executing ${pkg.name}-${pkg.version}.trigger\n`);
    }
    msg(this.summary(left));
    return 0;
  }

  private info(vfs: Vfs, names: string[], verbose: number, out: (t: string) => void): number {
    const installed = this.installed(vfs);
    if (names.length === 0) {
      for (const p of installed) out(verbose >= 2 ? `${p.name}-${p.version} - ${p.description}\n` : verbose === 1 ? `${p.name}-${p.version}\n` : `${p.name}\n`);
      return 0;
    }
    for (const name of names) {
      const p = installed.find((q) => q.name === name);
      if (!p) continue;
      const id = `${p.name}-${p.version}`;
      out(`${id} description:\n${p.description}\n\n${id} webpage:\n${p.url}\n\n${id} installed size:\n${humanSize(p.installedSize)}\n\n`);
    }
    return 0;
  }

  /** /lib/apk/db/triggers: each package and the directory globs it watches. */
  private triggers(vfs: Vfs): [string, string[]][] {
    if (!exists(vfs, TRIGGERS)) return [];
    return vfs.readFile(TRIGGERS).split('\n').filter(Boolean).map((line) => {
      const [owner, ...globs] = line.split(' ');
      return [owner!, globs];
    });
  }

  private summary(installed: readonly Installed[]): string {
    const bytes = installed.reduce((sum, p) => sum + p.installedSize, 0);
    return `OK: ${Math.floor(bytes / (1024 * 1024))} MiB in ${installed.length} packages\n`;
  }
}

/** fnmatch of a trigger glob (`/lib/modules/*`, `/etc/ssl/certs*`) against a directory. */
function globMatch(glob: string, dir: string): boolean {
  const re = new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
  return re.test(dir);
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
