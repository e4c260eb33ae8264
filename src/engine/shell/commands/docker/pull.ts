/**
 * `docker pull` and the pull `docker run` and `docker create` make for a missing image: the daemon's
 * JSONMessage stream printed as jsonmessage.DisplayJSONMessagesStream prints it to a stream that is not
 * a terminal (progress bars dropped: `a2318d6c47ec: Pulling fs layer`, `…: Download complete`,
 * `…: Pull complete`, `Digest: sha256:…`, `Status: Downloaded newer image for nginx:latest`), preceded by
 * `Using default tag: latest` when no tag was given, and followed by the pulled reference.
 *
 * Left out: the terminal form (cursor movements redrawing one line per layer with its progress bar),
 * `--all-tags`, `--platform` and content trust.
 */
import { familiarString } from '../../../runtime/image/familiarString.ts';
import { normalizeImageReference, parseImageReference } from '../../../runtime/imageReference.ts';
import type { JSONMessage } from '../../../runtime/registry/puller.ts';
import type { DockerClient } from './client.ts';
import type { DockerCommand } from './dockerCommand.ts';

/** jsonmessage.Display of one message to a non-terminal: nothing for a progress update. */
export function displayJSONMessage(message: JSONMessage): string {
  if (message.progressDetail && message.progressDetail.total > 0) return '';
  return `${message.id ? `${message.id}: ` : ''}${message.status}\n`;
}

/** Whether `ref` names a tag implicitly (`nginx`, not `nginx:1.27` or `nginx@sha256:…`). */
export function hasNoTag(ref: string): boolean {
  const at = ref.lastIndexOf('@');
  if (at >= 0) return false;
  const slash = ref.lastIndexOf('/');
  return ref.lastIndexOf(':') <= slash;
}

/** The familiar name with its tag, as `Unable to find image 'nginx:latest' locally` prints it. */
export function familiarTagged(ref: string): string {
  return familiarString(normalizeImageReference(ref));
}

/** Pull `ref`, writing docker's progress lines to `write` (unless quiet); the normalised reference. */
export async function pullImage(client: DockerClient, ref: string, write: (text: string) => void, quiet = false): Promise<string> {
  parseImageReference(ref);
  const result = await client.imagePull(ref, (m) => {
    if (!quiet) write(displayJSONMessage(m));
  });
  return result.reference;
}

/** docker pull. */
export const pull: DockerCommand = {
  path: 'docker pull',
  use: '[OPTIONS] NAME[:TAG|@DIGEST]',
  short: 'Download an image from a registry',
  aliases: ['docker image pull', 'docker pull'],
  options: [
    { name: 'all-tags', short: 'a', type: '', usage: 'Download all tagged images in the repository' },
    { name: 'quiet', short: 'q', type: '', usage: 'Suppress verbose output' },
  ],
  args: { min: 1, max: 1 },
  async run({ client, flags, args, out }) {
    const ref = args[0]!;
    const quiet = flags.bool('quiet');
    if (hasNoTag(ref) && !quiet) out('Using default tag: latest\n');
    const reference = await pullImage(client, ref, out, quiet);
    out(`${reference}\n`);
    return 0;
  },
};
