/**
 * tar — GNU tar 1.35 on uncompressed archives: create (`-c`), list (`-t`) and extract (`-x`) an archive
 * (`-f FILE`, `-` or no `-f` for stdin/stdout), `-v` (names; `-vv`, and `-t -v`, in tar's long format:
 * `-rw-r--r-- student/student 6 2026-01-01 00:00 dir/file`, the owner/size column growing as GNU's
 * does), `-C DIR`, `-O` (extract to stdout), bundled options in the old style (`tar cvf a.tar dir`) or
 * dashed (`-xvf`), long options. Directories are recursed in name order; names keep the operand's
 * spelling (`./x`, `dir//sub`) but for trailing slashes, and lose a leading `/` or `../` with GNU's
 * `Removing leading `/' from member names`. Member names given as operands select members (a directory
 * selects what is under it); one that matches nothing is `Not found in archive`. Errors are GNU's words,
 * with status 2 (64 for a usage error).
 *
 * An archive is the runtime's tar (runtime/image/tar.ts: ustar with pax records for long or non-ASCII
 * names, where GNU's default `gnu` format writes `././@LongLink` members), padded to tar's 10240-byte
 * record. A tar of text files is text (ASCII headers, UTF-8 data, NUL padding), so it lives in the lab's
 * string file data. Extraction writes files and directories; the lab's FileSystem sets no modes, owners or
 * times, so extracted files get the file system's, and symlinks, hard links and devices fail as on a file
 * system without them. `-z`, `-j` and `-J` fail as tar does when gzip, bzip2 or xz cannot be executed.
 *
 * Left out: block devices and FIFOs, `-r`/`-u`/`-A`/`-d`/`--delete`, `-C` placed between names (the last `-C` applies to all),
 * hard-link detection on create, sparse files, wildcards, `--exclude`, `-P`, `--strip-components`,
 * `--numeric-owner`, and the refusal to write an archive to a terminal.
 */
import { S_IFCHR, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK } from '../../../kernel/fs/inode.ts';
import { major, minor } from '../../../kernel/fs/makedev.ts';
import { isTarArchive, readTarMembers, TarError, writeTar, type TarEntry, type TarMember } from '../../../runtime/image/tar.ts';
import type { Command, CommandContext } from '../../command.ts';
import { errorCode, strerror } from '../coreutils/fsTypes.ts';
import { getopt } from '../coreutils/getopt.ts';
import { UserDb } from '../procps/userDb.ts';
import { modeString } from '../util-linux/stat.ts';

/** tar's exit status for an error (TAREXIT_FAILURE) and for a usage error (EX_USAGE). */
const FAILURE = 2;
const USAGE = 64;
/** The default blocking factor: 20 blocks of 512 bytes per record. */
const RECORD = 20 * 512;
/** GNU's starting width of the "user/group size" column. */
const UGSWIDTH = 19;
const TRY = "Try 'tar --help' or 'tar --usage' for more information.";
const SUBCOMMANDS = "'-Acdtrux', '--delete' or '--test-label'";
/** Short options that take an argument, for the old style (`tar cfC a.tar dir`). */
const WITH_ARG = 'fC';
const COMPRESSORS: Record<string, string> = { z: 'gzip', j: 'bzip2', J: 'xz' };
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

type Mode = 'c' | 'x' | 't';

export const tar: Command = (ctx) => new Tar(ctx).run();

class Tar {
  private failed = false;
  private readonly removed = new Set<string>();
  private ugswidth = UGSWIDTH;

  constructor(private readonly ctx: CommandContext) {}

  private say(message: string): void {
    this.ctx.stderr(`tar: ${message}\n`);
  }

  /** A problem tar goes on after: the run ends with status 2. */
  private error(message: string): void {
    this.say(message);
    this.failed = true;
  }

  private fatal(message: string): number {
    this.say(message);
    this.say('Error is not recoverable: exiting now');
    return FAILURE;
  }

  private usage(message: string): number {
    this.ctx.stderr(`tar: ${message}\n${TRY}\n`);
    return FAILURE;
  }

  /** A fatal error in tar's child (the process that opens the archive and runs the compressor). */
  private childFatal(message: string): number {
    this.ctx.stderr(`tar (child): ${message}\ntar (child): Error is not recoverable: exiting now\n`);
    return this.fatal('Child returned status 2');
  }

  private finish(): number {
    if (!this.failed) return 0;
    this.say('Exiting with failure status due to previous errors');
    return FAILURE;
  }

  async run(): Promise<number> {
    const ctx = this.ctx;
    const argv = oldStyle(ctx.argv);
    const opts = getopt(
      { ...ctx, argv, stderr: (t) => ctx.stderr(t.replace("Try 'tar --help' for more information.", TRY)) },
      {
        flags: 'cxtvzjJO',
        withArg: WITH_ARG,
        long: {
          create: 'c', extract: 'x', get: 'x', list: 't', 'file=': 'f', 'directory=': 'C', verbose: 'v',
          gzip: 'z', gunzip: 'z', ungzip: 'z', bzip2: 'j', xz: 'J', 'to-stdout': 'O',
        },
      },
    );
    if (!opts) return USAGE;
    let mode: Mode | undefined;
    for (const { name } of opts.list) {
      if (name !== 'c' && name !== 'x' && name !== 't') continue;
      if (mode && mode !== name) return this.usage(`You may not specify more than one ${SUBCOMMANDS.replace(' or ', ' or  ')} option`);
      mode = name;
    }
    if (!mode) return this.usage(`You must specify one of the ${SUBCOMMANDS} options`);
    const verbose = opts.all('v').length;
    const compressor = opts.list.filter((o) => o.name in COMPRESSORS).map((o) => COMPRESSORS[o.name]!).pop();
    const archive = opts.last('f') ?? '-';
    const directory = opts.last('C');
    let base = ctx.cwd;
    if (directory !== undefined) {
      base = ctx.fs.resolve(directory, ctx.cwd);
      const stat = ctx.fs.stat(base);
      if (!stat) return this.fatal(`${directory}: Cannot open: ${strerror('ENOENT')}`);
      if (stat.type !== 'dir') return this.fatal(`${directory}: Cannot open: ${strerror('ENOTDIR')}`);
    }
    if (mode === 'c') return this.create(opts.operands, archive, base, verbose, compressor);
    return this.read(mode, opts.operands, archive, base, verbose, compressor, opts.has('O'));
  }

  // —— create ——

  private create(operands: string[], archive: string, base: string, verbose: number, compressor: string | undefined): number {
    const ctx = this.ctx;
    if (operands.length === 0) return this.usage('Cowardly refusing to create an empty archive');
    const archivePath = archive === '-' ? undefined : ctx.fs.resolve(archive, ctx.cwd);
    if (archivePath !== undefined) {
      try {
        ctx.fs.openForWrite(archivePath);
      } catch (err) {
        const message = `${archive}: Cannot open: ${strerror(errorCode(err))}`;
        return compressor ? this.childFatal(message) : this.fatal(message);
      }
    }
    // The listing goes to stderr when the archive goes to stdout.
    const list = archivePath === undefined ? (t: string) => ctx.stderr(t) : (t: string) => ctx.stdout(t);
    const users = UserDb.read(ctx.fs);
    const entries: TarEntry[] = [];
    const add = (shown: string, path: string): void => {
      if (path === archivePath) {
        this.say(`${shown}: file is the archive; not dumped`);
        return;
      }
      let stat;
      try {
        stat = ctx.fs.getattr(path, { follow: false });
      } catch (err) {
        this.error(`${shown}: Cannot stat: ${strerror(errorCode(err))}`);
        return;
      }
      const type = stat.mode & S_IFMT;
      const entry: TarEntry = {
        path: '/',
        type: type === S_IFDIR ? 'dir' : type === S_IFLNK ? 'symlink' : type === S_IFCHR ? 'char' : 'file',
        mode: stat.mode & 0o7777,
        uid: stat.uid,
        gid: stat.gid,
        uname: users.byUid(stat.uid)?.name ?? '',
        gname: users.groupByGid(stat.gid)?.name ?? '',
        mtime: Math.floor(stat.mtimeMs / 1000),
      };
      if (entry.type === 'file' && type !== S_IFREG) {
        this.say(type === S_IFSOCK ? `${shown}: socket ignored` : `${shown}: Unknown file type; file ignored`);
        return;
      }
      try {
        if (entry.type === 'file') entry.data = ctx.fs.readFile(path);
        if (entry.type === 'symlink') entry.linkname = ctx.fs.readlink(path);
      } catch (err) {
        this.error(`${shown}: Cannot open: ${strerror(errorCode(err))}`);
        return;
      }
      if (entry.type === 'char') {
        entry.devmajor = major(stat.rdev);
        entry.devminor = minor(stat.rdev);
      }
      const dir = entry.type === 'dir';
      const stored = this.memberName(shown);
      entry.name = dir ? `${stored}${stored.endsWith('/') ? '' : '/'}` : stored;
      entry.path = `/${stored}`;
      entries.push(entry);
      const listed = dir && !shown.endsWith('/') ? `${shown}/` : shown;
      if (verbose === 1) list(`${listed}\n`);
      if (verbose > 1) list(this.longLine({ ...entry, name: listed }));
      if (!dir) return;
      let children: string[];
      try {
        children = ctx.fs.readdir(path);
      } catch (err) {
        this.error(`${shown}: Cannot open: ${strerror(errorCode(err))}`);
        return;
      }
      for (const child of children) add(`${shown}${shown.endsWith('/') ? '' : '/'}${child}`, `${path === '/' ? '' : path}/${child}`);
    };
    for (const operand of operands) {
      const shown = operand.replace(/(.)\/+$/, '$1');
      add(shown, ctx.fs.resolve(shown, base));
    }
    if (compressor) {
      ctx.stderr(`/bin/sh: 1: ${compressor}: not found\n`);
      return this.fatal('Child returned status 127');
    }
    const text = utf8Decoder.decode(padToRecord(writeTar(entries)));
    if (archivePath === undefined) ctx.stdout(text);
    else {
      try {
        ctx.fs.writeFile(archivePath, text);
      } catch (err) {
        return this.fatal(`${archive}: Cannot write: ${strerror(errorCode(err))}`);
      }
    }
    return this.finish();
  }

  /**
   * GNU's safer_name_suffix: the name without leading `/` and without everything up to its last `..`
   * component, announced once per prefix removed. `.` when nothing is left.
   */
  private memberName(name: string): string {
    let cut = 0;
    for (let at = 0; at < name.length; ) {
      if (name.startsWith('..', at) && (at + 2 === name.length || name[at + 2] === '/')) cut = at + 2;
      const slash = name.indexOf('/', at);
      at = slash < 0 ? name.length : slash + 1;
    }
    while (name[cut] === '/') cut++;
    if (cut === 0) return name;
    const prefix = name.slice(0, cut);
    if (!this.removed.has(prefix)) {
      this.removed.add(prefix);
      this.say(`Removing leading \`${prefix}' from member names`);
    }
    return name.slice(cut) || '.';
  }

  // —— list and extract ——

  private read(mode: 'x' | 't', operands: string[], archive: string, base: string, verbose: number, compressor: string | undefined, toStdout: boolean): number {
    const ctx = this.ctx;
    let text: string;
    if (archive === '-') text = ctx.stdin;
    else {
      try {
        text = ctx.fs.readFile(ctx.fs.resolve(archive, ctx.cwd));
      } catch (err) {
        const code = errorCode(err);
        if (compressor) return this.childFatal(`${archive}: Cannot open: ${strerror(code)}`);
        if (code !== 'EISDIR') return this.fatal(`${archive}: Cannot open: ${strerror(code)}`);
        this.say(`${archive}: Cannot read: ${strerror(code)}`);
        return this.fatal('At beginning of tape, quitting now');
      }
    }
    if (compressor) return this.childFatal(`${compressor}: Cannot exec: ${strerror('ENOENT')}`);
    const bytes = utf8.encode(text);
    if (bytes.length === 0) return 0;
    let members: TarMember[];
    try {
      if (!isTarArchive(bytes) && !bytes.subarray(0, 512).every((b) => b === 0)) throw new TarError('not a tar archive');
      members = readTarMembers(bytes);
    } catch (err) {
      if (!(err instanceof TarError)) throw err;
      if (err.message === 'unexpected EOF') {
        return this.fatal('Unexpected EOF in archive');
      }
      this.error('This does not look like a tar archive');
      return this.finish();
    }
    const patterns = operands.map((o) => ({ operand: o, name: o.replace(/(.)\/+$/, '$1'), found: false }));
    const list = toStdout ? (t: string) => ctx.stderr(t) : (t: string) => ctx.stdout(t);
    for (const member of members) {
      const bare = member.name.replace(/(.)\/+$/, '$1');
      const selected = patterns.filter((p) => bare === p.name || bare.startsWith(`${p.name}/`));
      if (patterns.length > 0 && selected.length === 0) continue;
      for (const p of selected) p.found = true;
      if (mode === 't') {
        list(verbose > 0 ? this.longLine(member) : `${member.name}\n`);
        continue;
      }
      if (verbose === 1) list(`${member.name}\n`);
      if (verbose > 1) list(this.longLine(member));
      this.extract(member, base, toStdout);
    }
    for (const p of patterns) if (!p.found) this.error(`${p.operand}: Not found in archive`);
    return this.finish();
  }

  private extract(member: TarMember, base: string, toStdout: boolean): void {
    const fs = this.ctx.fs;
    const name = this.memberName(member.name.replace(/(.)\/+$/, '$1'));
    if (member.name.split('/').includes('..')) {
      this.error(`${member.name}: Member name contains '..'`);
      return;
    }
    if (toStdout) {
      if (member.type === 'file') this.ctx.stdout(member.data ?? '');
      return;
    }
    const path = fs.resolve(name, base);
    if (path === base && member.type === 'dir') return;
    const existing = fs.stat(path);
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    switch (member.type) {
      case 'dir':
        try {
          if (existing?.type === 'file') fs.rm(path);
          fs.mkdir(path, { recursive: true });
        } catch (err) {
          this.error(`${name}: Cannot mkdir: ${strerror(errorCode(err))}`);
        }
        return;
      case 'file':
        try {
          fs.mkdir(parent, { recursive: true });
          // tar replaces what is there: an empty directory gives way to the file.
          if (existing?.type === 'dir' && fs.readdir(path).length === 0) fs.rm(path, { recursive: true });
          fs.writeFile(path, member.data ?? '');
        } catch (err) {
          this.error(`${name}: Cannot open: ${strerror(errorCode(err))}`);
        }
        return;
      case 'symlink':
        this.error(`${name}: Cannot create symlink to '${member.linkname ?? ''}': ${strerror('EPERM')}`);
        return;
      case 'hardlink':
        this.error(`${name}: Cannot hard link to '${(member.linkname ?? '').replace(/^\//, '')}': ${strerror('EPERM')}`);
        return;
      case 'char':
        this.error(`${name}: Cannot mknod: ${strerror('EPERM')}`);
        return;
    }
  }

  /** One line of `tar -tv`: type and mode, owner/group, size (or major,minor), date, name, link. */
  private longLine(entry: TarEntry & { name: string }): string {
    const type = { file: '-', dir: 'd', symlink: 'l', hardlink: 'h', char: 'c' }[entry.type];
    const modes = type + modeString(S_IFREG | entry.mode).slice(1);
    const user = entry.uname || String(entry.uid);
    const group = entry.gname || String(entry.gid);
    const size = entry.type === 'char' ? `${entry.devmajor ?? 0},${entry.devminor ?? 0}` : String(entry.type === 'file' ? (entry.size ?? utf8.encode(entry.data ?? '').length) : 0);
    const pad = user.length + 1 + group.length + 1 + size.length;
    if (pad > this.ugswidth) this.ugswidth = pad;
    const time = new Date(entry.mtime * 1000).toISOString().slice(0, 16).replace('T', ' ');
    const link = entry.type === 'symlink' ? ` -> ${entry.linkname ?? ''}` : entry.type === 'hardlink' ? ` link to ${(entry.linkname ?? '').replace(/^\//, '')}` : '';
    return `${modes} ${user}/${group} ${size.padStart(this.ugswidth - pad + size.length)} ${time} ${entry.name}${link}\n`;
  }
}

/** The old option style: a first word without a dash is a bundle of letters whose arguments follow in order. */
function oldStyle(argv: readonly string[]): string[] {
  const [name = 'tar', first, ...rest] = argv;
  if (first === undefined || first.startsWith('-')) return [...argv];
  const out = [name];
  for (const letter of first) {
    out.push(`-${letter}`);
    if (WITH_ARG.includes(letter) && rest.length > 0) out.push(rest.shift()!);
  }
  return [...out, ...rest];
}

/** The archive padded with zeros to a whole record, as tar writes it. */
function padToRecord(bytes: Uint8Array): Uint8Array {
  const size = Math.ceil(bytes.length / RECORD) * RECORD;
  if (size === bytes.length) return bytes;
  const out = new Uint8Array(size);
  out.set(bytes);
  return out;
}
