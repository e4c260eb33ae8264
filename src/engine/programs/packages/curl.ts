/**
 * curl — curl 8 (Alpine's 8.11, Debian's 7.88) in a lab without a network: names are looked up in
 * /etc/hosts only, as on a machine whose DNS server cannot be reached, so any other host fails with
 * `curl: (6) Could not resolve host: NAME` (status 6), and a host that resolves finds nothing listening
 * (the lab has no sockets yet): `curl: (7) Failed to connect to HOST port N after 0 ms: Couldn't connect to
 * server` (status 7). `-s` silences the error unless `-S` is also given; no URL is status 2.
 *
 * Left out: transfers (there is nothing to connect to), every option beyond -s/-S/-f/-L/-o/-O/-I/-v/-X/-H/-d,
 * which are accepted, and `--help`/`--version` text.
 */
import type { Host } from '../../kernel/host.ts';
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import { exists } from './packageFiles.ts';

/** Options that take a value. */
const WITH_VALUE = new Set(['-o', '--output', '-X', '--request', '-H', '--header', '-d', '--data', '-u', '--user', '-A', '--user-agent', '-m', '--max-time', '--connect-timeout', '-w', '--write-out']);

export class Curl implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    const { process } = sys;
    const stderr = (text: string) => process.stdio.stderr.write(text);
    let silent = false;
    let showError = false;
    const urls: string[] = [];
    const args = process.argv.slice(1);
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (WITH_VALUE.has(arg)) i++;
      else if (arg.startsWith('--')) continue;
      else if (arg.startsWith('-') && arg.length > 1) {
        if (arg.includes('s')) silent = true;
        if (arg.includes('S')) showError = true;
      } else urls.push(arg);
    }
    if (urls.length === 0) {
      stderr("curl: try 'curl --help' or 'curl --manual' for more information\n");
      return sys.exit(2);
    }
    const url = urls[0]!;
    const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?(?:[^@/]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d+))?/.exec(url);
    const scheme = (m?.[1] ?? 'http').toLowerCase();
    const hostName = m?.[2] ?? '';
    const port = m?.[3] ?? (scheme === 'https' ? '443' : scheme === 'ftp' ? '21' : '80');
    const fail = (code: number, message: string) => {
      if (!silent || showError) stderr(`curl: (${code}) ${message}\n`);
      sys.exit(code);
    };
    if (!['http', 'https', 'ftp', 'file'].includes(scheme)) return fail(1, `Protocol "${scheme}" not supported`);
    if (!this.resolves(sys, hostName)) return fail(6, `Could not resolve host: ${hostName}`);
    return fail(7, `Failed to connect to ${hostName} port ${port} after 0 ms: Couldn't connect to server`);
  }

  /** Whether `name` is an address or a name /etc/hosts gives. */
  private resolves(sys: ProgramContext, name: string): boolean {
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.startsWith('[')) return true;
    const vfs = this.host.vfsFor(sys.process);
    if (!exists(vfs, '/etc/hosts')) return false;
    return vfs.readFile('/etc/hosts').split('\n').some((line) => line.replace(/#.*/, '').trim().split(/\s+/).slice(1).includes(name.toLowerCase()));
  }
}
