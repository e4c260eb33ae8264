/**
 * du — GNU coreutils 9.4: the space each directory (with -a, each file) takes, summed over its tree, in
 * post-order: `SIZE<TAB>NAME`. Space is what st_blocks says is allocated (512-byte units), or with
 * --apparent-size/-b the byte sizes; shown in 1K blocks rounded up, or -m MiB, -b bytes, -h human units.
 * -s only the operands, -d N/--max-depth only that deep, -c a grand total, -x stays on the operand's file
 * system, --exclude=GLOB skips matching names; a file with several hard links counts once. Symlinks are not
 * followed.
 *
 * Left out: -L/-D/-H, -l, --inodes, -t/--threshold, --time, -0, -B with arbitrary sizes, --files0-from, -X.
 */
import { isDir, type Stat } from '../../../kernel/fs/inode.ts';
import { EXIT, type Command } from '../../command.ts';
import { globRegExp } from '../../interpreter.ts';
import { humanSize } from '../util-linux/df.ts';
import { errorCode, strerror } from './fsTypes.ts';
import { getopt } from './getopt.ts';

export const du: Command = (ctx) => {
  const opts = getopt(ctx, {
    flags: 'sahcxbkmS',
    withArg: 'd',
    long: {
      summarize: 's', all: 'a', 'human-readable': 'h', total: 'c', 'one-file-system': 'x', bytes: 'b', 'max-depth=': 'd',
      'apparent-size': 'apparent', 'exclude=': 'exclude', 'separate-dirs': 'S',
    },
  });
  if (!opts) return EXIT.failure;
  const depthArg = opts.last('d');
  if (depthArg !== undefined && !/^\d+$/.test(depthArg)) {
    ctx.stderr(`du: invalid maximum depth ‘${depthArg}’\nTry 'du --help' for more information.\n`);
    return EXIT.failure;
  }
  if (opts.has('s') && opts.has('a')) {
    ctx.stderr("du: cannot both summarize and show all entries\nTry 'du --help' for more information.\n");
    return EXIT.failure;
  }
  if (opts.has('s') && depthArg !== undefined && depthArg !== '0') {
    ctx.stderr(`du: warning: summarizing conflicts with --max-depth=${depthArg}\nTry 'du --help' for more information.\n`);
    return EXIT.failure;
  }
  const maxDepth = opts.has('s') ? 0 : depthArg === undefined ? Infinity : Number(depthArg);
  const apparent = opts.has('apparent') || opts.has('b');
  // The last of -b, -k, -m, -h decides the unit.
  const unit = [...opts.list].reverse().find((o) => 'bkmh'.includes(o.name) && o.name.length === 1)?.name ?? 'k';
  const excludes = opts.all('exclude').map((p) => globRegExp(p, true));
  const show = (bytes: number): string => {
    if (unit === 'h') return humanSize(bytes);
    if (unit === 'b') return String(bytes);
    return String(Math.ceil(bytes / (unit === 'm' ? 1024 * 1024 : 1024)));
  };
  const seen = new Set<string>();
  let status: number = EXIT.ok;
  let out = '';
  const sizeOf = (stat: Stat): number => (apparent ? stat.size : stat.blocks * 512);
  const excluded = (path: string): boolean =>
    excludes.some((re) => {
      for (let i = 0; i >= 0; i = path.indexOf('/', i + 1)) if (re.test(i === 0 ? path : path.slice(i + 1))) return true;
      return false;
    });

  const fail = (message: string) => {
    ctx.stdout(out);
    out = '';
    ctx.stderr(`du: ${message}\n`);
    status = EXIT.failure;
  };

  /** The bytes under `path` (and whether it is a directory), printing the lines du prints for it. */
  const walk = (path: string, abs: string, depth: number, dev: number): { bytes: number; directory: boolean } => {
    let stat: Stat;
    try {
      stat = ctx.fs.getattr(abs, { follow: false });
    } catch (error) {
      fail(`cannot access '${path}': ${strerror(errorCode(error))}`);
      return { bytes: 0, directory: false };
    }
    const directory = isDir(stat.mode);
    if (!directory && stat.nlink > 1) {
      const key = `${stat.dev}:${stat.ino}`;
      if (seen.has(key)) return { bytes: 0, directory };
      seen.add(key);
    }
    let total = sizeOf(stat);
    if (directory && !(opts.has('x') && stat.dev !== dev)) {
      let names: string[] = [];
      try {
        names = ctx.fs.readdir(abs);
      } catch (error) {
        fail(`cannot read directory '${path}': ${strerror(errorCode(error))}`);
      }
      for (const name of names) {
        const child = path.endsWith('/') ? path + name : `${path}/${name}`;
        if (excluded(child)) continue;
        const sub = walk(child, abs === '/' ? `/${name}` : `${abs}/${name}`, depth + 1, dev);
        if (!opts.has('S') || !sub.directory) total += sub.bytes;
      }
    }
    if (depth <= maxDepth && (directory || opts.has('a') || depth === 0)) out += `${show(total)}\t${path}\n`;
    return { bytes: total, directory };
  };

  let grand = 0;
  for (const operand of opts.operands.length > 0 ? opts.operands : ['.']) {
    const abs = ctx.fs.resolve(operand, ctx.cwd);
    let dev = 0;
    try {
      dev = ctx.fs.getattr(abs, { follow: false }).dev;
    } catch {
      // walk says why it cannot.
    }
    grand += walk(operand, abs, 0, dev).bytes;
  }
  if (opts.has('c')) out += `${show(grand)}\ttotal\n`;
  ctx.stdout(out);
  return status;
};

