/**
 * apt-get and apt — APT 2.6 (Debian bookworm) and 2.7 (Ubuntu noble) against the lab's offline mirror
 * (../../runtime/registry/catalogue/aptMirror.ts), with dpkg's part of an install: `update` reads the
 * sources of /etc/apt/sources.list(.d) (one-line and deb822), fetches each suite's InRelease and each
 * component's Packages (Get:/Hit: lines, `Fetched … in …s (… kB/s)`) into /var/lib/apt/lists; `install`
 * finds packages only in the lists present (so before an update, or after `rm -rf /var/lib/apt/lists/*`,
 * `E: Unable to locate package`, status 100), resolves Depends and (unless --no-install-recommends)
 * Recommends, prints the plan, asks (no -y: `Abort.`), downloads by size on virtual time, and unpacks as
 * dpkg does: files, /var/lib/dpkg/info/<pkg>.list, a /var/lib/dpkg/status stanza; `remove` takes the
 * named packages out again. Sizes print as apt's SizeToStr in the C locale (no digit grouping). `apt` is
 * the same with its warning on stderr when stdout is not a terminal. Without write access to
 * /var/lib/dpkg (not root) the lock fails as apt's does.
 *
 * Left out: upgrade/dist-upgrade/autoremove/purge/source, Suggests, version selection, the
 * "additional packages" list, apt's progress bars, maintainer scripts and debconf questions, and
 * /etc/dpkg/dpkg.cfg.d path-exclude filtering.
 */
import { isDir } from '../../kernel/fs/inode.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import { MAY_WRITE } from '../../kernel/fs/permission.ts';
import type { Host } from '../../kernel/host.ts';
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import { apkPath } from '../../runtime/registry/catalogue/apk.ts';
import { aptFiles, BOOKWORM_ARCHIVE, NOBLE_ARCHIVE, type AptPackage, type AptSuite } from '../../runtime/registry/catalogue/aptMirror.ts';
import { triplet } from '../../runtime/registry/catalogue/rootfs.ts';
import { archOf, downloadMs, exists, pause, removeIfPresent, unpack } from './packageFiles.ts';

const LISTS = '/var/lib/apt/lists';
const STATUS = '/var/lib/dpkg/status';
const INFO = '/var/lib/dpkg/info';

/** apt's SizeToStr in the C locale: `315 k`, `8792 k`, `15.5 M` (the caller appends B). */
export function sizeToStr(bytes: number): string {
  const ext = ['', 'k', 'M', 'G', 'T', 'P'];
  let size = Math.abs(bytes);
  for (let i = 0; i < ext.length; i++) {
    if (size < 100 && i !== 0) return `${size.toFixed(1)} ${ext[i]}`;
    if (size < 10000) return `${size.toFixed(0)} ${ext[i]}`;
    size /= 1000;
  }
  return `${size.toFixed(0)} E`;
}

/** An installed package as /var/lib/dpkg/status has it. */
export interface StatusEntry {
  name: string;
  version: string;
  architecture: string;
  multiArch: string;
  description: string;
  stanza: string;
}

/** The stanzas of /var/lib/dpkg/status. */
export function parseStatus(text: string): StatusEntry[] {
  return text.split(/\n\n+/).filter((s) => s.trim()).map((stanza) => {
    const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(stanza)?.[1] ?? '';
    return { name: field('Package'), version: field('Version'), architecture: field('Architecture'), multiArch: field('Multi-Arch'), description: field('Description'), stanza: `${stanza.replace(/\n+$/, '')}\n` };
  });
}

/** A source line: one URI, one suite, its components. */
interface Source {
  uri: string;
  suite: string;
  components: string[];
}

class AptError extends Error {}

export class AptGet implements Program {
  /** `apt` (the front end for humans) rather than `apt-get`. */
  constructor(
    private readonly host: Host,
    private readonly human = false,
  ) {}

  start(sys: ProgramContext): void {
    void this.run(sys).then(
      (status) => sys.exit(status),
      (error: unknown) => {
        sys.process.stdio.stderr.write(`E: ${error instanceof AptError ? error.message : String(error)}\n`);
        sys.exit(100);
      },
    );
  }

  private async run(sys: ProgramContext): Promise<number> {
    const { process } = sys;
    const out = (text: string) => process.stdio.stdout.write(text);
    const err = (text: string) => process.stdio.stderr.write(text);
    let quiet = 0;
    let yes = false;
    let recommends = true;
    let command: string | undefined;
    const names: string[] = [];
    for (const arg of process.argv.slice(1)) {
      if (arg === '-y' || arg === '--yes' || arg === '--assume-yes') yes = true;
      else if (/^-q+$/.test(arg)) quiet += arg.length - 1;
      else if (arg === '--quiet') quiet++;
      else if (/^-q=\d$/.test(arg)) quiet = Number(arg.slice(3));
      else if (arg === '--no-install-recommends') recommends = false;
      else if (/^-[yq]+$/.test(arg)) {
        if (arg.includes('y')) yes = true;
        quiet += [...arg].filter((c) => c === 'q').length;
      } else if (arg.startsWith('-')) throw new AptError(`Command line option '${arg.replace(/^-+/, '')}' [from ${arg}] is not understood in combination with the other options.`);
      else if (command === undefined) command = arg;
      else names.push(arg);
    }
    if (this.human) err('\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n');
    const say = (text: string) => {
      if (quiet < 2) out(text);
    };
    const vfs = this.host.vfsFor(process);
    const archive = exists(vfs, '/etc/os-release') && vfs.readFile('/etc/os-release').includes('ID=ubuntu') ? NOBLE_ARCHIVE : BOOKWORM_ARCHIVE;
    const arch = archOf(this.host.machine);
    if (command === 'update') {
      if (!writable(vfs, LISTS)) {
        say('Reading package lists...\n');
        throw new AptError(`Could not open lock file ${LISTS}/lock - open (13: Permission denied)\nE: Unable to lock directory ${LISTS}/`);
      }
      return this.update(sys, vfs, archive.suites, arch, say);
    }
    if (command !== 'install' && command !== 'remove') throw new AptError(command === undefined ? 'Invalid operation' : `Invalid operation ${command}`);
    say('Reading package lists...\nBuilding dependency tree...\nReading state information...\n');
    if (!writable(vfs, '/var/lib/dpkg')) {
      throw new AptError('Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?');
    }
    const installed = exists(vfs, STATUS) ? parseStatus(vfs.readFile(STATUS)) : [];
    const notUpgraded = 0;
    if (command === 'remove') {
      const targets = installed.filter((p) => names.includes(p.name));
      for (const name of names) if (!targets.some((p) => p.name === name)) say(`Package '${name}' is not installed, so not removed\n`);
      if (targets.length > 0) say(`The following packages will be REMOVED:\n${wrap(targets.map((p) => p.name))}`);
      say(`0 upgraded, 0 newly installed, ${targets.length} to remove and ${notUpgraded} not upgraded.\n`);
      if (targets.length === 0) return 0;
      if (!yes) {
        say('Do you want to continue? [Y/n] Abort.\n');
        return 1;
      }
      say(`(Reading database ... ${this.databaseSize(vfs)} files and directories currently installed.)\n`);
      for (const p of targets) {
        say(`Removing ${this.qualified(p.name, p.multiArch === 'same', arch)} (${p.version}) ...\n`);
        const list = this.listFile(vfs, p.name, arch);
        if (list) {
          for (const path of vfs.readFile(list).split('\n').reverse()) if (path && exists(vfs, path) && !isDir(vfs.lstat(path).mode)) removeIfPresent(vfs, path);
          removeIfPresent(vfs, list);
        }
      }
      vfs.writeFile(STATUS, installed.filter((p) => !targets.includes(p)).map((p) => p.stanza).join('\n'));
      return 0;
    }
    const available = this.available(vfs, archive, arch);
    const missing = names.filter((n) => !available.some((p) => p.name === n) && !installed.some((p) => p.name === n));
    if (missing.length > 0) throw new AptError(missing.map((n) => `Unable to locate package ${n}`).join('\nE: '));
    const have = new Set(installed.map((p) => p.name));
    const plan: AptPackage[] = [];
    const visit = (name: string, seen: Set<string>) => {
      if (have.has(name) || seen.has(name)) return;
      seen.add(name);
      const pkg = available.find((p) => p.name === name);
      if (!pkg) return;
      for (const dep of depNames(pkg.depends)) visit(dep, seen);
      plan.push(pkg);
      if (recommends) for (const dep of depNames(pkg.recommends)) visit(dep, seen);
    };
    const seen = new Set<string>();
    for (const name of names) {
      const here = installed.find((p) => p.name === name);
      if (here) say(`${name} is already the newest version (${here.version}).\n`);
      else visit(name, seen);
    }
    if (plan.length > 0) say(`The following NEW packages will be installed:\n${wrap(plan.map((p) => p.name).sort())}`);
    say(`0 upgraded, ${plan.length} newly installed, 0 to remove and ${notUpgraded} not upgraded.\n`);
    if (plan.length === 0) return 0;
    const download = plan.reduce((sum, p) => sum + p.size, 0);
    say(`Need to get ${sizeToStr(download)}B of archives.\n`);
    say(`After this operation, ${sizeToStr(plan.reduce((sum, p) => sum + p.installedSize, 0) * 1024)}B of additional disk space will be used.\n`);
    if (!yes && plan.some((p) => !names.includes(p.name))) {
      say('Do you want to continue? [Y/n] Abort.\n');
      return 1;
    }
    const started = sys.now();
    for (const [i, p] of plan.entries()) {
      const suite = archive.suites.find((s) => s.suite === p.component.split('/')[0])!;
      await pause(sys, downloadMs(p.size));
      if (quiet === 0) say(`Get:${i + 1} ${suite.uri} ${p.component} ${arch} ${p.name} ${p.architecture === 'all' ? 'all' : arch} ${p.version} [${sizeToStr(p.size)}B]\n`);
    }
    err('debconf: delaying package configuration, since apt-utils is not installed\n');
    const seconds = Math.floor((sys.now() - started) / 1000);
    if (quiet === 0) say(`Fetched ${sizeToStr(download)}B in ${seconds}s (${sizeToStr(download / Math.max(seconds, (sys.now() - started) / 1000, 0.001))}B/s)\n`);
    const tri = triplet(arch);
    vfs.mkdirAll(INFO, 0o755);
    for (const [i, p] of plan.entries()) {
      const name = this.qualified(p.name, p.multiArch === 'same', arch);
      out(`Selecting previously unselected package ${name}.\n`);
      if (i === 0) out(`(Reading database ... ${quiet === 0 ? readingProgress() : ''}${this.databaseSize(vfs)} files and directories currently installed.)\n`);
      const deb = `${p.name}_${p.version.replace(/^\d+:/, '')}_${p.architecture === 'all' ? 'all' : arch}.deb`;
      out(`Preparing to unpack .../${plan.length > 1 ? `${String(i).padStart(2, '0')}-` : ''}${deb} ...\n`);
      out(`Unpacking ${name} (${p.version}) ...\n`);
      const files = aptFiles(p, tri);
      const paths = new Set<string>(['/.']);
      for (const f of files) {
        unpack(vfs, f, arch);
        const path = apkPath(f);
        const parts = path.split('/').filter(Boolean);
        for (let j = 1; j < parts.length; j++) paths.add(`/${parts.slice(0, j).join('/')}`);
        paths.add(path);
      }
      vfs.writeFile(`${INFO}/${p.multiArch === 'same' ? `${p.name}:${arch}` : p.name}.list`, `${[...paths].sort().join('\n')}\n`);
      vfs.writeFile(STATUS, `${statusStanza(p, arch)}\n`, { append: true });
    }
    for (const p of plan) out(`Setting up ${this.qualified(p.name, p.multiArch === 'same', arch)} (${p.version}) ...\n`);
    const libc = installed.find((p) => p.name === 'libc-bin');
    if (libc && plan.some((p) => p.section === 'libs')) out(`Processing triggers for libc-bin (${libc.version}) ...\n`);
    return 0;
  }

  private async update(sys: ProgramContext, vfs: Vfs, suites: readonly AptSuite[], arch: string, say: (t: string) => void): Promise<number> {
    const sources = this.sources(vfs);
    let n = 0;
    let fetched = 0;
    const started = sys.now();
    const lines: { text: string; file: string; size: number }[] = [];
    const served = (source: Source) => suites.find((s) => s.uri === source.uri.replace(/\/$/, '') && s.suite === source.suite);
    for (const source of sources) {
      const suite = served(source);
      if (suite) lines.push({ text: `${suite.uri} ${source.suite} InRelease`, file: `${listPrefix(source)}_InRelease`, size: suite.inRelease });
    }
    for (const source of sources) {
      const suite = served(source);
      for (const component of suite ? source.components : []) {
        const size = suite?.packages[component];
        if (suite && size) lines.push({ text: `${suite.uri} ${source.suite}/${component} ${arch} Packages`, file: `${listPrefix(source)}_${component}_binary-${arch}_Packages`, size });
      }
    }
    for (const line of lines) {
      const path = `${LISTS}/${line.file}`;
      if (exists(vfs, path)) {
        // An unchanged InRelease is a hit; the indexes it signs are then not fetched at all.
        if (line.file.endsWith('_InRelease')) say(`Hit:${++n} ${line.text}\n`);
        continue;
      }
      await pause(sys, downloadMs(line.size));
      fetched += line.size;
      vfs.writeFile(path, '', { apparentSize: line.size });
      say(`Get:${++n} ${line.text} [${sizeToStr(line.size)}B]\n`);
    }
    if (fetched > 0) {
      const secs = (sys.now() - started) / 1000;
      say(`Fetched ${sizeToStr(fetched)}B in ${Math.floor(secs)}s (${sizeToStr(fetched / Math.max(secs, 0.001))}B/s)\n`);
    }
    say('Reading package lists...\n');
    return 0;
  }

  /** The sources of /etc/apt/sources.list and /etc/apt/sources.list.d (*.list one-line, *.sources deb822). */
  private sources(vfs: Vfs): Source[] {
    const out: Source[] = [];
    const oneLine = (text: string) => {
      for (const line of text.split('\n')) {
        const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s+(.*)$/.exec(line.replace(/#.*/, ''));
        if (m) out.push({ uri: m[1]!, suite: m[2]!, components: m[3]!.trim().split(/\s+/) });
      }
    };
    if (exists(vfs, '/etc/apt/sources.list')) oneLine(vfs.readFile('/etc/apt/sources.list'));
    const dir = '/etc/apt/sources.list.d';
    const files = exists(vfs, dir) ? vfs.readdir(dir).map((e) => e.name).sort() : [];
    for (const file of files) {
      const text = vfs.readFile(`${dir}/${file}`);
      if (file.endsWith('.list')) oneLine(text);
      if (!file.endsWith('.sources')) continue;
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(stanza)?.[1]?.trim().split(/\s+/) ?? [];
        if (!field('Types').includes('deb') || field('Enabled')[0] === 'no') continue;
        for (const uri of field('URIs')) for (const suite of field('Suites')) out.push({ uri, suite, components: field('Components') });
      }
    }
    return out;
  }

  /** The archive's packages whose component's Packages list is in /var/lib/apt/lists. */
  private available(vfs: Vfs, archive: typeof BOOKWORM_ARCHIVE, arch: string): AptPackage[] {
    return archive.packages.filter((p) => {
      const [suite, component] = p.component.split('/') as [string, string];
      const served = archive.suites.find((s) => s.suite === suite);
      return served !== undefined && exists(vfs, `${LISTS}/${listPrefix({ uri: served.uri, suite, components: [] })}_${component}_binary-${arch}_Packages`);
    });
  }

  private qualified(name: string, same: boolean, arch: string): string {
    return same ? `${name}:${arch}` : name;
  }

  private listFile(vfs: Vfs, name: string, arch: string): string | undefined {
    return [`${INFO}/${name}.list`, `${INFO}/${name}:${arch}.list`].find((f) => exists(vfs, f));
  }

  /** What dpkg counts when it reads its database: the paths of every package's .list. */
  private databaseSize(vfs: Vfs): number {
    if (!exists(vfs, INFO)) return 0;
    const paths = new Set<string>();
    for (const e of vfs.readdir(INFO)) if (e.name.endsWith('.list')) for (const p of vfs.readFile(`${INFO}/${e.name}`).split('\n')) if (p) paths.add(p);
    return paths.size;
  }
}

/** Whether the process may write in `dir`. */
function writable(vfs: Vfs, dir: string): boolean {
  try {
    vfs.access(dir, MAY_WRITE);
    return true;
  } catch {
    return false;
  }
}

/** `/var/lib/apt/lists/` file prefix of a source: `deb.debian.org_debian_dists_bookworm`. */
function listPrefix(source: Source): string {
  return `${source.uri.replace(/^[a-z]+:\/\//, '').replace(/\/$/, '').replace(/\//g, '_')}_dists_${source.suite}`;
}

/** The package names of a Depends field, first alternative of each. */
function depNames(field: string): string[] {
  return field.split(',').map((d) => d.split('|')[0]!.trim().split(/[\s(:]/)[0]!).filter(Boolean);
}

/** dpkg's progress while it reads its database, as a non-terminal receives it. */
function readingProgress(): string {
  let text = '\r';
  for (let pct = 5; pct <= 100; pct += 5) text += `(Reading database ... ${pct}%\r`;
  return `${text}(Reading database ... `;
}

/** apt's package list: two spaces of indent, names wrapped before 80 columns. */
function wrap(names: string[]): string {
  const lines: string[] = [];
  let line = ' ';
  for (const name of names) {
    if (line.length + 1 + name.length > 79 && line.trim()) {
      lines.push(line);
      line = ' ';
    }
    line += ` ${name}`;
  }
  lines.push(line);
  return `${lines.join('\n')}\n`;
}

/** A package's /var/lib/dpkg/status stanza once installed. */
function statusStanza(p: AptPackage, arch: string): string {
  return [
    `Package: ${p.name}`,
    'Status: install ok installed',
    `Priority: ${p.priority}`,
    `Section: ${p.section}`,
    `Installed-Size: ${p.installedSize}`,
    `Architecture: ${p.architecture === 'all' ? 'all' : arch}`,
    ...(p.multiArch ? [`Multi-Arch: ${p.multiArch}`] : []),
    `Version: ${p.version}`,
    ...(p.depends ? [`Depends: ${p.depends}`] : []),
    ...(p.recommends ? [`Recommends: ${p.recommends}`] : []),
    `Description: ${p.description}`,
  ].join('\n') + '\n';
}
