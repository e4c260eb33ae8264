/**
 * `docker inspect` and its typed forms (`docker container inspect`, `docker image inspect`, `docker
 * volume inspect`, `docker network inspect`; cli/command/inspect): each object as the daemon returns it,
 * printed as a JSON array indented by four spaces, or each through `-f`/`--format` (a Go template on the
 * object's JSON, so a missing field prints `<no value>`). An untyped inspect tries a container, then an
 * image, a volume and a network; a name that is none of them is `Error: No such object: x` after `[]`.
 * `-s` adds SizeRw and SizeRootFs to containers.
 */
import { DaemonError } from '../../../runtime/dockerd/daemonError.ts';
import { marshalJson } from '../kubectl/printers/json.ts';
import type { DockerClient } from './client.ts';
import type { DockerCommand, DockerInvocation, OptionDef } from './dockerCommand.ts';
import { execute, parseFormat } from './formatter.ts';

type Kind = 'container' | 'image' | 'volume' | 'network';

const OPTIONS: OptionDef[] = [
  { name: 'format', short: 'f', type: 'string', usage: "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template." },
  { name: 'size', short: 's', type: '', usage: 'Display total file sizes if the type is container' },
  { name: 'type', type: 'string', usage: 'Only inspect objects of the given type' },
];

function lookup(client: DockerClient, kind: Kind, ref: string, size: boolean): unknown {
  switch (kind) {
    case 'container':
      return client.containerInspect(ref, { size });
    case 'image':
      return client.imageInspect(ref);
    case 'volume':
      return client.volumeInspect(ref);
    case 'network':
      return client.networkInspect(ref);
  }
}

function inspectAll(io: DockerInvocation, kinds: readonly Kind[], typed: boolean): number {
  const format = io.flags.string('format');
  const template = format && format !== 'json' ? parseFormat(format) : undefined;
  const found: unknown[] = [];
  let status = 0;
  let text = '';
  for (const ref of io.args) {
    let object: unknown;
    let failure: DaemonError | undefined;
    for (const kind of kinds) {
      try {
        object = lookup(io.client, kind, ref, io.flags.bool('size'));
        break;
      } catch (error) {
        if (!(error instanceof DaemonError) || error.statusCode !== 404) throw error;
        failure ??= error;
      }
    }
    if (object === undefined) {
      status = 1;
      io.err(typed && failure ? `Error response from daemon: ${failure.message}\n` : `Error: No such object: ${ref}\n`);
      continue;
    }
    found.push(object);
    if (template) text += `${execute(template, object)}\n`;
  }
  io.out(template ? text : `${marshalJson(found, '    ', '', false)}\n`);
  return status;
}

/** docker inspect. */
export const inspect: DockerCommand = {
  path: 'docker inspect',
  use: '[OPTIONS] NAME|ID [NAME|ID...]',
  short: 'Return low-level information on Docker objects',
  options: OPTIONS,
  args: { min: 1 },
  run(io) {
    const type = io.flags.string('type');
    const kinds: Kind[] = type ? [type as Kind] : ['container', 'image', 'volume', 'network'];
    return inspectAll(io, kinds, false);
  },
};

/** `docker container inspect`, `docker image inspect`… for one kind. */
export function typedInspect(kind: Kind): DockerCommand {
  return {
    path: `docker ${kind} inspect`,
    use: `[OPTIONS] ${kind.toUpperCase()} [${kind.toUpperCase()}...]`,
    short: `Display detailed information on one or more ${kind}s`,
    options: OPTIONS.filter((o) => o.name === 'format' || (kind === 'container' && o.name === 'size')),
    args: { min: 1 },
    run: (io) => inspectAll(io, [kind], true),
  };
}
