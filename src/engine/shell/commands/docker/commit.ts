/**
 * `docker commit` (cli/command/container/commit.go): a container's changes as a new image, tagged when a
 * REPOSITORY[:TAG] is given; prints the new image's ID. The container is paused meanwhile unless
 * `--pause=false`.
 *
 * Left out: `--change` (Dockerfile instructions applied to the config).
 */
import type { DockerCommand } from './dockerCommand.ts';

/** docker commit. */
export const commit: DockerCommand = {
  path: 'docker commit',
  use: '[OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  short: "Create a new image from a container's changes",
  aliases: ['docker container commit', 'docker commit'],
  options: [
    { name: 'author', short: 'a', type: 'string', usage: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
    { name: 'message', short: 'm', type: 'string', usage: 'Commit message' },
    { name: 'pause', short: 'p', type: '', usage: 'Pause container during commit', default: 'true' },
  ],
  args: { min: 1, max: 2 },
  run({ client, flags, args, out }) {
    const id = client.containerCommit(args[0]!, {
      ...(args[1] ? { reference: args[1] } : {}),
      comment: flags.string('message'),
      author: flags.string('author'),
      pause: !flags.changed('pause') || flags.bool('pause'),
    });
    out(`${id}\n`);
    return 0;
  },
};
