/**
 * `docker diff` (cli/command/container/diff.go): the daemon's list of what the container's writable
 * layer changed, one `{{.Type}} {{.Path}}` line each: C changed, A added, D deleted.
 */
import type { DockerCommand } from './dockerCommand.ts';

/** The letter of each FilesystemChange Kind. */
const KIND = ['C', 'A', 'D'] as const;

/** docker diff. */
export const diff: DockerCommand = {
  path: 'docker diff',
  use: 'CONTAINER',
  short: "Inspect changes to files or directories on a container's filesystem",
  aliases: ['docker container diff', 'docker diff'],
  options: [],
  args: { min: 1, max: 1 },
  run({ client, args, out }) {
    out(client.containerChanges(args[0]!).map((c) => `${KIND[c.Kind]} ${c.Path}\n`).join(''));
    return 0;
  },
};
