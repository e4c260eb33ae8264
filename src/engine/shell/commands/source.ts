/**
 * source and `.` — bash's builtins: read a file (relative to the working directory; bash would search
 * PATH first) and run its commands in this shell, with any further arguments as $1…; `return` ends it.
 */
import { EXIT, type Command } from '../command.ts';
import { FsError } from '../fs.ts';

export const source: Command = async (ctx) => {
  const name = ctx.argv[0]!;
  const file = ctx.argv[1];
  if (file === undefined) {
    ctx.stderr(`${ctx.shell.errorPrefix}${name}: filename argument required\n${name}: usage: ${name} filename [arguments]\n`);
    return EXIT.usage;
  }
  const path = ctx.fs.resolve(file, ctx.cwd);
  let text: string;
  try {
    text = ctx.fs.readFile(path);
  } catch (error) {
    if (!(error instanceof FsError)) throw error;
    ctx.stderr(`${ctx.shell.errorPrefix}${file}: ${error.code === 'EISDIR' ? 'is a directory' : error.describe}\n`);
    return EXIT.failure;
  }
  return ctx.shell.source(file, text, ctx.argv.slice(2));
};
