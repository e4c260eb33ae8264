/**
 * The image commands (cli/command/image): `docker images` (`docker image ls`: REPOSITORY, TAG, IMAGE ID,
 * CREATED `2 weeks ago`, SIZE with three digits; one row per tag, `<none>` for an untagged image; `-q`
 * IDs, `--digests`, `--no-trunc`, `--format`), `docker rmi` (each `Untagged:`/`Deleted:` line of the
 * daemon), `docker tag` and `docker history` (IMAGE, CREATED, CREATED BY cut to 45 characters, SIZE,
 * COMMENT; `<missing>` for the steps of a pulled image below its top).
 */
import { humanDuration } from '../../../runtime/dockerd/units/duration.ts';
import { humanSizeWithPrecision } from '../../../runtime/dockerd/units/size.ts';
import { DaemonError } from '../../../runtime/dockerd/daemonError.ts';
import type { DockerCommand } from './dockerCommand.ts';
import { ellipsis, formatRows, type Headers, type Row } from './formatter.ts';
import { goTimeString } from './ps.ts';

const IMAGE_HEADERS: Headers = { Repository: 'REPOSITORY', Tag: 'TAG', Digest: 'DIGEST', ID: 'IMAGE ID', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', Size: 'SIZE', Containers: 'CONTAINERS' };

/** docker images. */
export const images: DockerCommand = {
  path: 'docker images',
  use: '[OPTIONS] [REPOSITORY[:TAG]]',
  short: 'List images',
  aliases: ['docker image ls', 'docker image list', 'docker images'],
  options: [
    { name: 'all', short: 'a', type: '', usage: 'Show all images (default hides intermediate images)' },
    { name: 'digests', type: '', usage: 'Show digests' },
    { name: 'format', type: 'string', usage: 'Format output using a custom template' },
    { name: 'no-trunc', type: '', usage: "Don't truncate output" },
    { name: 'quiet', short: 'q', type: '', usage: 'Only show image IDs' },
  ],
  args: { max: 1 },
  run({ client, flags, args, ctx, out }) {
    const now = ctx.clock.now();
    const trunc = !flags.bool('no-trunc');
    const rows: Row[] = [];
    for (const image of client.imageList({ all: flags.bool('all') })) {
      const tags = image.RepoTags.length > 0 ? image.RepoTags : ['<none>:<none>'];
      for (const tag of tags) {
        const colon = tag.lastIndexOf(':');
        const repository = tag.slice(0, colon);
        if (args[0] && !(args[0] === repository || args[0] === tag)) continue;
        const digest = image.RepoDigests.find((d) => d.startsWith(`${repository}@`))?.split('@')[1] ?? '<none>';
        rows.push({
          Containers: 'N/A',
          CreatedAt: goTimeString(image.Created * 1000),
          CreatedSince: `${humanDuration(now - image.Created * 1000)} ago`,
          Digest: digest,
          ID: trunc ? image.Id.slice(7, 19) : image.Id,
          Repository: repository,
          Size: humanSizeWithPrecision(image.Size, 3),
          Tag: tag.slice(colon + 1),
        });
      }
    }
    if (flags.bool('quiet')) {
      out([...new Set(rows.map((r) => r['ID'] as string))].map((id) => `${id}\n`).join(''));
      return 0;
    }
    let format = flags.string('format');
    if (format === '' || format === 'table') {
      format = flags.bool('digests')
        ? 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}'
        : 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
    } else if (format === 'json') format = '{{json .}}';
    out(formatRows(format, rows, IMAGE_HEADERS));
    return 0;
  },
};

/** docker rmi. */
export const rmi: DockerCommand = {
  path: 'docker rmi',
  use: '[OPTIONS] IMAGE [IMAGE...]',
  short: 'Remove one or more images',
  aliases: ['docker image rm', 'docker image remove', 'docker rmi'],
  options: [
    { name: 'force', short: 'f', type: '', usage: 'Force removal of the image' },
    { name: 'no-prune', type: '', usage: 'Do not delete untagged parents' },
  ],
  args: { min: 1 },
  run({ client, flags, args, out, err }) {
    let status = 0;
    for (const ref of args) {
      try {
        for (const item of client.imageRemove(ref, { force: flags.bool('force') })) out('Untagged' in item ? `Untagged: ${item.Untagged}\n` : `Deleted: ${item.Deleted}\n`);
      } catch (error) {
        if (!(error instanceof DaemonError)) throw error;
        err(`Error response from daemon: ${error.message}\n`);
        status = 1;
      }
    }
    return status;
  },
};

/** docker tag. */
export const tag: DockerCommand = {
  path: 'docker tag',
  use: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  short: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  aliases: ['docker image tag', 'docker tag'],
  options: [],
  args: { min: 2, max: 2 },
  run({ client, args }) {
    client.imageTag(args[0]!, args[1]!);
    return 0;
  },
};

const HISTORY_HEADERS: Headers = { ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT' };

/** docker history. */
export const history: DockerCommand = {
  path: 'docker history',
  use: '[OPTIONS] IMAGE',
  short: 'Show the history of an image',
  aliases: ['docker image history', 'docker history'],
  options: [
    { name: 'format', type: 'string', usage: 'Format output using a custom template' },
    { name: 'human', short: 'H', type: '', usage: 'Print sizes and dates in human readable format', default: 'true' },
    { name: 'no-trunc', type: '', usage: "Don't truncate output" },
    { name: 'quiet', short: 'q', type: '', usage: 'Only show image IDs' },
  ],
  args: { min: 1, max: 1 },
  run({ client, flags, args, ctx, out }) {
    const now = ctx.clock.now();
    const trunc = !flags.bool('no-trunc');
    const rows = client.imageHistory(args[0]!).map((h): Row => {
      const createdBy = h.CreatedBy.replace(/\t/g, ' ');
      return {
        Comment: h.Comment,
        CreatedAt: goTimeString(h.Created * 1000),
        CreatedBy: trunc ? ellipsis(createdBy, 45) : createdBy,
        CreatedSince: `${humanDuration(now - h.Created * 1000)} ago`,
        ID: h.Id === '<missing>' ? h.Id : trunc ? h.Id.slice(7, 19) : h.Id,
        Size: humanSizeWithPrecision(h.Size, 3),
      };
    });
    let format = flags.string('format') || 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';
    if (flags.bool('quiet')) format = '{{.ID}}';
    out(formatRows(format, rows, HISTORY_HEADERS));
    return 0;
  },
};
