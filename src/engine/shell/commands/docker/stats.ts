/**
 * `docker stats` (cli/command/container/stats.go, formatter/stats.go): CPU %, MEM USAGE / LIMIT
 * (binary units), MEM %, NET I/O, BLOCK I/O (decimal units, three digits) and PIDS of the running
 * containers (or those named), each sampled by the daemon over a second; `--no-stream` prints one
 * table, otherwise the screen is redrawn every second until Ctrl-C.
 */
import type { ContainerStats } from '../../../runtime/dockerd/engineApi.ts';
import { bytesSize, humanSizeWithPrecision } from '../../../runtime/dockerd/units/size.ts';
import { EXIT } from '../../command.ts';
import type { DockerCommand } from './dockerCommand.ts';
import { formatRows, type Headers, type Row } from './formatter.ts';

/** The default `docker stats` table. */
export const STATS_FORMAT = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';

const HEADERS: Headers = {
  ID: 'CONTAINER ID', Container: 'CONTAINER', Name: 'NAME', CPUPerc: 'CPU %', MemUsage: 'MEM USAGE / LIMIT', MemPerc: 'MEM %', NetIO: 'NET I/O', BlockIO: 'BLOCK I/O', PIDs: 'PIDS',
};

function row(s: ContainerStats, trunc: boolean, given: string): Row {
  return {
    BlockIO: `${humanSizeWithPrecision(s.blockRead, 3)} / ${humanSizeWithPrecision(s.blockWrite, 3)}`,
    CPUPerc: `${s.cpuPercent.toFixed(2)}%`,
    Container: given,
    ID: trunc ? s.id.slice(0, 12) : s.id,
    MemPerc: `${s.memoryPercent.toFixed(2)}%`,
    MemUsage: `${bytesSize(s.memoryUsage)} / ${bytesSize(s.memoryLimit)}`,
    Name: s.name,
    NetIO: `${humanSizeWithPrecision(s.netRx, 3)} / ${humanSizeWithPrecision(s.netTx, 3)}`,
    PIDs: String(s.pids),
  };
}

/** docker stats. */
export const stats: DockerCommand = {
  path: 'docker stats',
  use: '[OPTIONS] [CONTAINER...]',
  short: 'Display a live stream of container(s) resource usage statistics',
  aliases: ['docker container stats', 'docker stats'],
  options: [
    { name: 'all', short: 'a', type: '', usage: 'Show all containers (default shows just running)' },
    { name: 'format', type: 'string', usage: 'Format output using a custom template' },
    { name: 'no-stream', type: '', usage: 'Disable streaming stats and only pull the first result' },
    { name: 'no-trunc', type: '', usage: "Don't truncate output" },
  ],
  async run({ client, flags, args, ctx, out }) {
    const names = args.length > 0 ? args : client.containerList({ all: flags.bool('all') }).map((c) => c.Id.slice(0, 12));
    const format = flags.string('format') || STATS_FORMAT;
    const trunc = !flags.bool('no-trunc');
    const sample = async () => {
      const results = await Promise.all(names.map((n) => client.containerStats(n)));
      return formatRows(format, results.map((s, i) => row(s, trunc, names[i]!)), HEADERS);
    };
    if (flags.bool('no-stream')) {
      out(await sample());
      return 0;
    }
    while (!ctx.interrupt.fired) {
      const table = await Promise.race([sample(), new Promise<undefined>((resolve) => ctx.interrupt.onDidFire(() => resolve(undefined)))]);
      if (table === undefined) break;
      out(`\x1b[2J\x1b[H${table}`);
    }
    return EXIT.interrupted;
  },
};
