/**
 * `docker top` (cli/command/container/top.go): the daemon runs the host's `ps` (`-ef`, or the options
 * given) and keeps the rows of the container's processes; the CLI aligns them with a tabwriter of
 * minimum width 20 and padding 3.
 */
import { tabwrite } from '../kubectl/printers/tabwriter.ts';
import type { DockerCommand } from './dockerCommand.ts';

/** docker top. */
export const top: DockerCommand = {
  path: 'docker top',
  use: 'CONTAINER [ps OPTIONS]',
  short: 'Display the running processes of a container',
  aliases: ['docker container top', 'docker top'],
  options: [],
  args: { min: 1 },
  stopAtFirstArg: true,
  async run({ client, args, out }) {
    const result = await client.containerTop(args[0]!, args.length > 1 ? args.slice(1).join(' ') : undefined);
    const lines = [result.Titles.join('\t'), ...result.Processes.map((p) => p.join('\t'))].map((l) => `${l}\n`).join('');
    out(tabwrite(lines, { minWidth: 20, padding: 3 }));
    return 0;
  },
};
