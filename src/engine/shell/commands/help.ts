/** help — the lab's list of what this shell can run, with one line each (bash's `help` lists builtins). */
import { EXIT, type Command } from '../command.ts';

export const help: Command = (ctx) => {
  const commands = ctx.shell.commands();
  const width = Math.max(...commands.map((c) => c.name.length));
  let out = 'Kubelab shell. These commands are available; `help` shows this list.\n\n';
  for (const c of commands) out += `  ${c.name.padEnd(width)}  ${c.summary}\n`;
  ctx.stdout(out);
  return EXIT.ok;
};
