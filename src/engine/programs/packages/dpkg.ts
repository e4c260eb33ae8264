/**
 * dpkg / dpkg-query — dpkg 1.21 (bookworm) and 1.22 (noble) reading its database: `-l [PATTERN…]` lists
 * /var/lib/dpkg/status in dpkg-query's table (columns as wide as their widest entry, at least 14, 12 and
 * 12, the description filling to 78), `-L PACKAGE` prints /var/lib/dpkg/info/<pkg>.list, `-s PACKAGE` the
 * status stanza. Unmatched patterns and packages fail with dpkg-query's messages and status 1.
 *
 * Left out: installing .deb files (apt-get does that here), --configure, -S, -c and the other actions,
 * glob patterns other than `*` and `?`.
 */
import type { Host } from '../../kernel/host.ts';
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import { parseStatus, type StatusEntry } from './aptGet.ts';
import { exists } from './packageFiles.ts';

const HEADER = `Desired=Unknown/Install/Remove/Purge/Hold
| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend
|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)
`;

export class Dpkg implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    const { process } = sys;
    const out = (text: string) => process.stdio.stdout.write(text);
    const err = (text: string) => process.stdio.stderr.write(text);
    const vfs = this.host.vfsFor(process);
    const [action, ...args] = process.argv.slice(1);
    const installed = exists(vfs, '/var/lib/dpkg/status') ? parseStatus(vfs.readFile('/var/lib/dpkg/status')) : [];
    const qualified = (p: StatusEntry) => (p.multiArch === 'same' || (p.multiArch === '' && p.name.startsWith('lib') && p.architecture !== 'all') ? `${p.name}:${p.architecture}` : p.name);
    let status = 0;
    if (action === '-l' || action === '--list') {
      const matched: StatusEntry[] = [];
      for (const pattern of args.length ? args : ['*']) {
        const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
        const hits = installed.filter((p) => re.test(p.name) || re.test(qualified(p)));
        if (hits.length === 0) {
          err(`dpkg-query: no packages found matching ${pattern}\n`);
          status = 1;
        }
        for (const h of hits) if (!matched.includes(h)) matched.push(h);
      }
      matched.sort((a, b) => (a.name < b.name ? -1 : 1));
      if (matched.length > 0) {
        const nw = Math.max(14, ...matched.map((p) => p.name.length));
        const vw = Math.max(12, ...matched.map((p) => p.version.length));
        const aw = Math.max(12, ...matched.map((p) => p.architecture.length));
        const dw = Math.max(78 - (4 + nw + 1 + vw + 1 + aw + 1), ...matched.map((p) => p.description.length));
        out(`${HEADER}||/ ${'Name'.padEnd(nw)} ${'Version'.padEnd(vw)} ${'Architecture'.padEnd(aw)} Description\n`);
        out(`+++-${'='.repeat(nw)}-${'='.repeat(vw)}-${'='.repeat(aw)}-${'='.repeat(dw)}\n`);
        for (const p of matched) out(`ii  ${qualified(p).padEnd(nw)} ${p.version.padEnd(vw)} ${p.architecture.padEnd(aw)} ${p.description}\n`);
      }
      return sys.exit(status);
    }
    if (action === '-L' || action === '--listfiles' || action === '-s' || action === '--status') {
      for (const name of args) {
        const p = installed.find((q) => q.name === name || qualified(q) === name);
        if (!p) {
          err(action === '-s' || action === '--status'
            ? `dpkg-query: package '${name}' is not installed and no information is available\nUse dpkg --info (= dpkg-deb --info) to examine archive files.\n`
            : `dpkg-query: package '${name}' is not installed\nUse dpkg --contents (= dpkg-deb --contents) to list archive files contents.\n`);
          status = 1;
          continue;
        }
        if (action === '-s' || action === '--status') {
          out(p.stanza);
          continue;
        }
        const list = [`/var/lib/dpkg/info/${p.name}.list`, `/var/lib/dpkg/info/${p.name}:${p.architecture}.list`].find((f) => exists(vfs, f));
        out(list ? vfs.readFile(list) : '');
      }
      return sys.exit(status);
    }
    err(`dpkg: error: need an action option\n\nType dpkg --help for help about installing and deinstalling packages [*];\nUse 'apt' or 'aptitude' for user-friendly package management;\nType dpkg -Dhelp for a list of dpkg debug flag values;\nType dpkg --force-help for a list of forcing options;\nType dpkg-deb --help for help about manipulating *.deb files;\n\nOptions marked [*] produce a lot of output - pipe it through 'less' or 'more' !\n`);
    sys.exit(2);
  }
}
