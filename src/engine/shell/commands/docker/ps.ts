/**
 * `docker ps` (`docker container ls`, cli/command/container/list.go and formatter/container.go): the
 * running containers (all with `-a`, the last N with `-n`, the latest with `-l`), in docker's table
 * (CONTAINER ID, IMAGE, COMMAND as a quoted command cut to 20 characters, CREATED `5 seconds ago`,
 * STATUS, PORTS, NAMES, and SIZE `2B (virtual 187MB)` with `-s`), IDs only with `-q`, untruncated with
 * `--no-trunc`, any `--format`, and the filters `status`, `name`, `id`, `label`, `ancestor` and `exited`.
 */
import type { ContainerSummary } from '../../../runtime/dockerd/engineApi.ts';
import { humanDuration } from '../../../runtime/dockerd/units/duration.ts';
import { humanSizeWithPrecision } from '../../../runtime/dockerd/units/size.ts';
import { goQuote } from '../kubectl/printers/goFormat.ts';
import { CliError, type DockerCommand } from './dockerCommand.ts';
import { ellipsis, formatRows, type Headers, type Row } from './formatter.ts';

/** The default `docker ps` table. */
export const PS_FORMAT = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

const HEADERS: Headers = {
  ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED', Ports: 'PORTS', State: 'STATE', Status: 'STATUS',
  Size: 'SIZE', Names: 'NAMES', Labels: 'LABELS', Mounts: 'MOUNTS', LocalVolumes: 'LOCAL VOLUMES', Networks: 'NETWORKS',
};

/** Go's time.Time String(): `2026-01-01 09:00:00 +0000 UTC`. */
export function goTimeString(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

/** ContainerContext: what each `{{.Field}}` of a container row prints. */
export function containerRow(c: ContainerSummary, now: number, trunc: boolean): Row {
  const image = c.Image.startsWith('sha256:') ? (trunc ? c.Image.slice(7, 19) : c.Image) : c.Image;
  const size = c.SizeRw === undefined ? '0B' : c.SizeRootFs ? `${humanSizeWithPrecision(c.SizeRw, 3)} (virtual ${humanSizeWithPrecision(c.SizeRootFs, 3)})` : humanSizeWithPrecision(c.SizeRw, 3);
  return {
    Command: goQuote(trunc ? ellipsis(c.Command, 20) : c.Command),
    CreatedAt: goTimeString(c.Created * 1000),
    ID: trunc ? c.Id.slice(0, 12) : c.Id,
    Image: image,
    Labels: Object.entries(c.Labels).map(([k, v]) => `${k}=${v}`).join(','),
    LocalVolumes: String(c.Mounts.filter((m) => m.Type === 'volume').length),
    Mounts: c.Mounts.map((m) => (m.Name ? (trunc ? ellipsis(m.Name, 15) : m.Name) : m.Source)).join(','),
    Names: c.Names.map((n) => n.slice(1)).join(','),
    Networks: Object.keys(c.NetworkSettings.Networks).join(','),
    Ports: c.Ports.map((p) => `${p.PrivatePort}/${p.Type}`).join(', '),
    RunningFor: `${humanDuration(now - c.Created * 1000)} ago`,
    Size: size,
    State: c.State,
    Status: c.Status,
  };
}

/** Whether a container passes `docker ps --filter` terms. */
function passes(c: ContainerSummary, filters: Map<string, string[]>): boolean {
  for (const [key, values] of filters) {
    const ok = values.some((v) => {
      switch (key) {
        case 'status':
          return c.State === v;
        case 'name':
          return c.Names.some((n) => new RegExp(v).test(n.slice(1)));
        case 'id':
          return c.Id.startsWith(v);
        case 'label': {
          const [k, val] = v.split('=', 2) as [string, string?];
          return k in c.Labels && (val === undefined || c.Labels[k] === val);
        }
        case 'ancestor':
          return c.Image === v || c.ImageID === v || c.ImageID.slice(7).startsWith(v);
        case 'exited':
          return c.State === 'exited' && new RegExp(`^Exited \\(${v}\\)`).test(c.Status);
        default:
          return false;
      }
    });
    if (!ok) return false;
  }
  return true;
}

const FILTER_KEYS = ['status', 'name', 'id', 'label', 'ancestor', 'exited'];

/** docker ps. */
export const ps: DockerCommand = {
  path: 'docker ps',
  use: '[OPTIONS]',
  short: 'List containers',
  aliases: ['docker container ls', 'docker container list', 'docker container ps', 'docker ps'],
  options: [
    { name: 'all', short: 'a', type: '', usage: 'Show all containers (default shows just running)' },
    { name: 'filter', short: 'f', type: 'filter', usage: 'Filter output based on conditions provided' },
    { name: 'format', type: 'string', usage: 'Format output using a custom template:\n\'table\':            Print output in table format with column headers (default)\n\'table TEMPLATE\':   Print output in table format using the given Go template\n\'json\':             Print in JSON format\n\'TEMPLATE\':         Print output using the given Go template.' },
    { name: 'last', short: 'n', type: 'int', usage: 'Show n last created containers (includes all states)', default: '-1' },
    { name: 'latest', short: 'l', type: '', usage: 'Show the latest created container (includes all states)' },
    { name: 'no-trunc', type: '', usage: "Don't truncate output" },
    { name: 'quiet', short: 'q', type: '', usage: 'Only display container IDs' },
    { name: 'size', short: 's', type: '', usage: 'Display total file sizes' },
  ],
  args: { max: 0 },
  run({ client, flags, ctx, out }) {
    const filters = new Map<string, string[]>();
    for (const f of flags.all('filter')) {
      const eq = f.indexOf('=');
      if (eq < 0) throw new CliError(`invalid argument "${f}" for "-f, --filter" flag: bad format of filter (expected name=value)\nSee 'docker ps --help'.`, 125);
      const key = f.slice(0, eq);
      if (!FILTER_KEYS.includes(key)) throw new CliError(`Error response from daemon: invalid filter '${key}'`);
      filters.set(key, [...(filters.get(key) ?? []), f.slice(eq + 1)]);
    }
    const last = Number(flags.string('last'));
    const latest = flags.bool('latest');
    const all = flags.bool('all') || latest || last > 0 || filters.size > 0;
    let list = client.containerList({ all, size: flags.bool('size') }).filter((c) => passes(c, filters));
    if (latest) list = list.slice(0, 1);
    else if (last > 0) list = list.slice(0, last);
    const trunc = !flags.bool('no-trunc');
    let format = flags.string('format');
    if (flags.bool('quiet')) format = '{{.ID}}';
    else if (format === '' || format === 'table') format = flags.bool('size') ? `${PS_FORMAT}\t{{.Size}}` : PS_FORMAT;
    else if (format === 'json') format = '{{json .}}';
    const now = ctx.clock.now();
    out(formatRows(format, list.map((c) => containerRow(c, now, trunc)), HEADERS));
    return 0;
  },
};
