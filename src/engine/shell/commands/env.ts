/**
 * env — GNU coreutils: print the environment (`NAME=value` lines), or run a command with a changed one:
 * `env [-i] [-u NAME] [NAME=VALUE]… [COMMAND [ARG]…]`. Commands are looked up on PATH, so shell-only
 * builtins (cd, export…) are not found, as with the real env.
 */
import { EXIT, type Command } from '../command.ts';

export const env: Command = async (ctx) => {
  const args = ctx.argv.slice(1);
  let environment = new Map(ctx.env);
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-i' || arg === '-' || arg === '--ignore-environment') environment = new Map();
    else if (arg === '-u' || arg === '--unset' || arg.startsWith('--unset=') || (arg.startsWith('-u') && arg.length > 2)) {
      const name = arg.startsWith('--unset=') ? arg.slice(8) : arg.length > 2 && !arg.startsWith('--') ? arg.slice(2) : args[++i];
      if (name === undefined) {
        ctx.stderr(`env: option requires an argument -- 'u'\nTry 'env --help' for more information.\n`);
        return 125;
      }
      environment.delete(name);
    } else if (arg === '--') {
      i++;
      break;
    } else if (arg.startsWith('-') && arg.length > 1) {
      ctx.stderr(arg.startsWith('--') ? `env: unrecognized option '${arg}'\nTry 'env --help' for more information.\n` : `env: invalid option -- '${arg[1]}'\nTry 'env --help' for more information.\n`);
      return 125;
    } else break;
  }
  for (; i < args.length && /^[^=]+=/.test(args[i]!); i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    environment.set(arg.slice(0, eq), arg.slice(eq + 1));
  }
  if (i >= args.length) {
    let out = '';
    for (const [name, value] of environment) out += `${name}=${value}\n`;
    ctx.stdout(out);
    return EXIT.ok;
  }
  const argv = args.slice(i);
  const status = await ctx.shell.exec(argv, environment, { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr }, ctx.interrupt);
  if (status === EXIT.notFound && ctx.shell.commandPaths(argv[0]!).length === 0) ctx.stderr(`env: ‘${argv[0]}’: No such file or directory\n`);
  return status;
};
