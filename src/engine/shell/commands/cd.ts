/**
 * cd — bash's builtin: `cd` (to $HOME), `cd DIR` (relative to the working directory), `cd -` (to
 * $OLDPWD, printing it), with bash's messages for a missing, non-directory or unset target. Left out:
 * CDPATH, -P/-L differences (there are no symlinks).
 */
import { EXIT, type Command } from '../command.ts';

export const cd: Command = (ctx) => {
  const prefix = `${ctx.shell.errorPrefix}cd: `;
  let args = ctx.argv.slice(1);
  while (args[0] !== undefined && /^-[LPe@]+$/.test(args[0])) args = args.slice(1);
  if (args[0] === '--') args = args.slice(1);
  if (args.length > 1) {
    ctx.stderr(`${prefix}too many arguments\n`);
    return EXIT.failure;
  }
  let target = args[0];
  let print = false;
  if (target === undefined) {
    target = ctx.shell.getVar('HOME');
    if (target === undefined) {
      ctx.stderr(`${prefix}HOME not set\n`);
      return EXIT.failure;
    }
  } else if (target === '-') {
    target = ctx.shell.getVar('OLDPWD');
    if (target === undefined) {
      ctx.stderr(`${prefix}OLDPWD not set\n`);
      return EXIT.failure;
    }
    print = true;
  } else if (target.startsWith('-') && target.length > 1) {
    ctx.stderr(`${prefix}${target.slice(0, 2)}: invalid option\ncd: usage: cd [-L|[-P [-e]] [-@]] [dir]\n`);
    return EXIT.usage;
  }
  if (target === '') {
    if (print) ctx.stdout('\n');
    return EXIT.ok;
  }
  const path = ctx.fs.resolve(target, ctx.cwd);
  const stat = ctx.fs.stat(path);
  if (!stat || stat.type !== 'dir') {
    // A path through a file is "Not a directory" too, as the kernel's ENOTDIR.
    const throughFile = !stat && ctx.fs.stat(ctx.fs.resolve(target.replace(/\/[^/]*\/?$/, '') || '.', ctx.cwd))?.type === 'file';
    ctx.stderr(`${prefix}${target}: ${stat || throughFile ? 'Not a directory' : 'No such file or directory'}\n`);
    return EXIT.failure;
  }
  ctx.shell.chdir(path);
  if (print) ctx.stdout(path + '\n');
  return EXIT.ok;
};
