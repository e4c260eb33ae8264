/**
 * `docker volume` (cli/command/volume): create (prints the name), ls (DRIVER, VOLUME NAME; `-q`), inspect
 * (see inspect.ts), rm (prints each name removed; `-f` ignores missing ones).
 *
 * Left out: prune, `--opt` and drivers other than local.
 */
import { DaemonError } from '../../../runtime/dockerd/daemonError.ts';
import type { DockerCommand } from './dockerCommand.ts';
import { formatRows } from './formatter.ts';

/** docker volume create. */
export const volumeCreate: DockerCommand = {
  path: 'docker volume create',
  use: '[OPTIONS] [VOLUME]',
  short: 'Create a volume',
  options: [
    { name: 'driver', short: 'd', type: 'string', usage: 'Specify volume driver name', default: 'local' },
    { name: 'label', type: 'list', usage: 'Set metadata for a volume' },
    { name: 'name', type: 'string', usage: 'Specify volume name' },
  ],
  args: { max: 1 },
  run({ client, flags, args, out }) {
    const labels = Object.fromEntries(flags.all('label').map((l) => [l.split('=', 1)[0]!, l.includes('=') ? l.slice(l.indexOf('=') + 1) : '']));
    out(`${client.volumeCreate(args[0] ?? (flags.string('name') || undefined), labels).Name}\n`);
    return 0;
  },
};

/** docker volume ls. */
export const volumeLs: DockerCommand = {
  path: 'docker volume ls',
  use: '[OPTIONS]',
  short: 'List volumes',
  aliases: ['docker volume ls', 'docker volume list'],
  options: [
    { name: 'format', type: 'string', usage: 'Format output using a custom template' },
    { name: 'quiet', short: 'q', type: '', usage: 'Only display volume names' },
  ],
  args: { max: 0 },
  run({ client, flags, out }) {
    const rows = client.volumeList().map((v) => ({ Driver: v.Driver, Name: v.Name, Scope: v.Scope, Mountpoint: v.Mountpoint, Labels: Object.entries(v.Labels ?? {}).map(([k, x]) => `${k}=${x}`).join(',') }));
    const format = flags.bool('quiet') ? '{{.Name}}' : flags.string('format') || 'table {{.Driver}}\t{{.Name}}';
    out(formatRows(format, rows, { Driver: 'DRIVER', Name: 'VOLUME NAME', Scope: 'SCOPE', Mountpoint: 'MOUNTPOINT', Labels: 'LABELS' }));
    return 0;
  },
};

/** docker volume rm. */
export const volumeRm: DockerCommand = {
  path: 'docker volume rm',
  use: '[OPTIONS] VOLUME [VOLUME...]',
  short: 'Remove one or more volumes',
  aliases: ['docker volume rm', 'docker volume remove'],
  options: [{ name: 'force', short: 'f', type: '', usage: 'Force the removal of one or more volumes' }],
  args: { min: 1 },
  run({ client, flags, args, out, err }) {
    let status = 0;
    for (const name of args) {
      try {
        client.volumeRemove(name, flags.bool('force'));
        out(`${name}\n`);
      } catch (error) {
        if (!(error instanceof DaemonError)) throw error;
        err(`Error response from daemon: ${error.message}\n`);
        status = 1;
      }
    }
    return status;
  },
};
