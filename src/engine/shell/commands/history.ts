/** history — bash's builtin: the numbered list, `history N` for the last N, `history -c` to clear. */
import { EXIT, type Command } from '../command.ts';

export const history: Command = (ctx) => {
  const arg = ctx.argv[1];
  const entries = ctx.shell.history;
  if (arg === '-c') {
    ctx.shell.clearHistory();
    return EXIT.ok;
  }
  let first = 0;
  if (arg !== undefined) {
    if (!/^\d+$/.test(arg)) {
      ctx.stderr(`${ctx.shell.errorPrefix}history: ${arg}: numeric argument required\n`);
      return EXIT.failure;
    }
    first = Math.max(0, entries.length - Number(arg));
  }
  let out = '';
  for (let i = first; i < entries.length; i++) out += `${String(i + 1).padStart(5)}  ${entries[i]}\n`;
  ctx.stdout(out);
  return EXIT.ok;
};
