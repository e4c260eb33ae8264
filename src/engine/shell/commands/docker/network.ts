/**
 * `docker network` (cli/command/network): create (prints the ID; `-d bridge`, `--subnet`, `--gateway`),
 * ls (NETWORK ID, NAME, DRIVER, SCOPE; `-q`), inspect (see inspect.ts), rm (prints each name).
 *
 * Left out: connect, disconnect, prune, and drivers other than bridge.
 */
import { DaemonError } from '../../../runtime/dockerd/daemonError.ts';
import type { DockerCommand } from './dockerCommand.ts';
import { formatRows } from './formatter.ts';

/** docker network create. */
export const networkCreate: DockerCommand = {
  path: 'docker network create',
  use: '[OPTIONS] NETWORK',
  short: 'Create a network',
  options: [
    { name: 'driver', short: 'd', type: 'string', usage: 'Driver to manage the Network', default: 'bridge' },
    { name: 'gateway', type: 'strings', usage: 'IPv4 or IPv6 Gateway for the master subnet' },
    { name: 'label', type: 'list', usage: 'Set metadata on a network' },
    { name: 'subnet', type: 'strings', usage: 'Subnet in CIDR format that represents a network segment' },
  ],
  args: { min: 1, max: 1 },
  run({ client, flags, args, out }) {
    const labels = Object.fromEntries(flags.all('label').map((l) => [l.split('=', 1)[0]!, l.includes('=') ? l.slice(l.indexOf('=') + 1) : '']));
    const id = client.networkCreate(args[0]!, {
      driver: flags.string('driver') || 'bridge',
      ...(flags.string('subnet') ? { subnet: flags.string('subnet') } : {}),
      ...(flags.string('gateway') ? { gateway: flags.string('gateway') } : {}),
      labels,
    });
    out(`${id}\n`);
    return 0;
  },
};

/** docker network ls. */
export const networkLs: DockerCommand = {
  path: 'docker network ls',
  use: '[OPTIONS]',
  short: 'List networks',
  aliases: ['docker network ls', 'docker network list'],
  options: [
    { name: 'format', type: 'string', usage: 'Format output using a custom template' },
    { name: 'no-trunc', type: '', usage: 'Do not truncate the output' },
    { name: 'quiet', short: 'q', type: '', usage: 'Only display network IDs' },
  ],
  args: { max: 0 },
  run({ client, flags, out }) {
    const trunc = !flags.bool('no-trunc');
    const rows = client.networkList().map((n) => ({ ID: trunc ? n.Id.slice(0, 12) : n.Id, Name: n.Name, Driver: n.Driver, Scope: n.Scope, IPv6: String(n.EnableIPv6), Internal: String(n.Internal), CreatedAt: n.Created }));
    const format = flags.bool('quiet') ? '{{.ID}}' : flags.string('format') || 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}';
    out(formatRows(format, rows, { ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE', IPv6: 'IPV6', Internal: 'INTERNAL', CreatedAt: 'CREATED' }));
    return 0;
  },
};

/** docker network rm. */
export const networkRm: DockerCommand = {
  path: 'docker network rm',
  use: 'NETWORK [NETWORK...]',
  short: 'Remove one or more networks',
  aliases: ['docker network rm', 'docker network remove'],
  options: [{ name: 'force', short: 'f', type: '', usage: 'Do not error if the network does not exist' }],
  args: { min: 1 },
  run({ client, flags, args, out, err }) {
    let status = 0;
    for (const name of args) {
      try {
        client.networkRemove(name);
        out(`${name}\n`);
      } catch (error) {
        if (!(error instanceof DaemonError)) throw error;
        if (flags.bool('force') && error.statusCode === 404) continue;
        err(`Error response from daemon: ${error.message}\n`);
        status = 1;
      }
    }
    return status;
  },
};
