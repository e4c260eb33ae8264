/**
 * xargs — GNU findutils: build command lines from stdin's words (blank-separated, with '…' and "…"
 * quoting) and run them; -n MAX words per command, -I REPLACE once per input line with REPLACE replaced
 * in the arguments; the command defaults to echo. Exit status 123 when a command failed with 1-125, and
 * that command's status for 126/127 or above. Leaves out -0, -d, -P, -L, -p/-t and -r (GNU runs once on
 * empty input, as here without -r).
 *
 * xargs runs other commands, which only the shell knows how to: `xargs(run)` takes the shell's runner
 * (argv, stdin, the calling context) → {status, stdout} and returns the command.
 */
import { EXIT, type Command, type CommandContext } from '../../command.ts';
import { getopt } from './getopt.ts';

export type RunCommand = (argv: string[], stdin: string, ctx: CommandContext) => Promise<{ status: number; stdout: string }>;

export function xargs(run: RunCommand): Command {
  return async (ctx) => {
    const opts = getopt({ ...ctx, argv: optionPart(ctx.argv) }, { withArg: 'nI', long: { 'max-args=': 'n', 'replace=': 'I' } });
    if (!opts) return EXIT.failure;
    const command = ctx.argv.slice(optionPart(ctx.argv).length);
    const base = command.length > 0 ? command : ['echo'];
    const maxArg = opts.last('n');
    if (maxArg !== undefined && !/^\d+$/.test(maxArg)) {
      ctx.stderr(`xargs: invalid number "${maxArg}" for -n option\nTry 'xargs --help' for more information.\n`);
      return EXIT.failure;
    }
    const replace = opts.last('I');
    const batches: string[][] = [];
    if (replace !== undefined) {
      for (const line of ctx.stdin.split('\n')) {
        const item = line.trim();
        if (item !== '') batches.push(base.map((a) => a.split(replace).join(item)));
      }
    } else {
      const items = wordsOf(ctx.stdin);
      if (items === undefined) {
        ctx.stderr("xargs: unmatched quote; by default quotes are special to xargs unless you use the -0 option\n");
        return EXIT.failure;
      }
      const size = maxArg === undefined ? Math.max(items.length, 1) : Math.max(Number(maxArg), 1);
      for (let i = 0; i < Math.max(items.length, 1); i += size) batches.push([...base, ...items.slice(i, i + size)]);
    }
    let status: number = EXIT.ok;
    for (const argv of batches) {
      if (ctx.interrupt.fired) return EXIT.interrupted;
      const result = await run(argv, '', ctx);
      ctx.stdout(result.stdout);
      if (result.status === 126 || result.status === 127 || result.status > 128) return result.status;
      if (result.status !== 0) status = 123;
    }
    return status;
  };
}

/** argv up to the command: xargs's own options end at the first word that is not one. */
function optionPart(argv: readonly string[]): string[] {
  let i = 1;
  while (i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '-') {
    if (/^-[nI]$/.test(argv[i]!)) i++;
    i++;
  }
  return argv.slice(0, i);
}

function wordsOf(text: string): string[] | undefined {
  const out: string[] = [];
  const re = /(?:'([^']*)'|"([^"]*)"|([^\s'"]+))+|(['"])/g;
  for (const m of text.matchAll(re)) {
    if (m[4] !== undefined) return undefined;
    out.push(m[0].replace(/'([^']*)'|"([^"]*)"/g, '$1$2'));
  }
  return out;
}
