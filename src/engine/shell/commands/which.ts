/** which — Debian's debianutils `which`: the path of each command found on PATH (`-a`: every one); shell builtins without a file are not found. */
import { EXIT, type Command } from '../command.ts';

export const which: Command = (ctx) => {
  let args = ctx.argv.slice(1);
  let all = false;
  if (args[0] === '-a') {
    all = true;
    args = args.slice(1);
  }
  if (args[0] !== undefined && args[0].startsWith('-') && args[0] !== '-') {
    ctx.stderr('Illegal option -' + args[0].slice(1, 2) + '\nUsage: /usr/bin/which [-a] args\n');
    return EXIT.usage;
  }
  if (args.length === 0) return EXIT.failure;
  let out = '';
  let status: number = EXIT.ok;
  for (const name of args) {
    const paths = ctx.shell.commandPaths(name);
    if (paths.length === 0) status = EXIT.failure;
    out += (all ? paths : paths.slice(0, 1)).map((p) => p + '\n').join('');
  }
  ctx.stdout(out);
  return status;
};
