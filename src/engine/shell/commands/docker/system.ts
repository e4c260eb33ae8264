/**
 * `docker version`, `docker info` and `docker system df` (cli/command/system): the client's and the
 * daemon's versions in docker's layout (the client part prints even when no daemon answers), the
 * daemon's system information, and disk use by images, containers, local volumes and the build cache
 * (TYPE, TOTAL, ACTIVE, SIZE, RECLAIMABLE with its percentage).
 *
 * Left out: `-f` templates of version and info, `system df -v`, `system prune`, `system events`, and the
 * client plugins section of `docker info` (the lab's CLI has none).
 */
import { bytesSize, humanSize } from '../../../runtime/dockerd/units/size.ts';
import { CANNOT_CONNECT_MESSAGE, type DockerCommand } from './dockerCommand.ts';
import { execute, formatRows, parseFormat } from './formatter.ts';

/** The CLI's own version. */
export const CLI_VERSION = '27.3.1';
const CLI_COMMIT = 'ce12230';
const BUILT = 'Fri Sep 20 11:41:00 2024';

/** docker version. */
export const version: DockerCommand = {
  path: 'docker version',
  use: '[OPTIONS]',
  short: 'Show the Docker version information',
  aliases: ['docker system version', 'docker version'],
  options: [{ name: 'format', short: 'f', type: 'string', usage: 'Format output using a custom template' }],
  args: { max: 0 },
  offline: true,
  run({ client, out, err }) {
    out(`Client: Docker Engine - Community\n Version:           ${CLI_VERSION}\n API version:       1.47\n Go version:        go1.22.7\n Git commit:        ${CLI_COMMIT}\n Built:             ${BUILT}\n OS/Arch:           linux/amd64\n Context:           default\n`);
    if (!client) {
      err(`${CANNOT_CONNECT_MESSAGE}\n`);
      return 1;
    }
    const v = client.version();
    let text = `\nServer: Docker Engine - Community\n Engine:\n  Version:          ${v.Version}\n  API version:      ${v.ApiVersion} (minimum version ${v.MinAPIVersion})\n  Go version:       ${v.GoVersion}\n  Git commit:       ${v.GitCommit}\n  Built:            ${BUILT}\n  OS/Arch:          ${v.Os}/${v.Arch}\n  Experimental:     false\n`;
    for (const c of v.Components.slice(1)) text += ` ${c.Name}:\n  Version:          ${c.Version}\n  GitCommit:        ${c.Details['GitCommit'] ?? ''}\n`;
    out(text);
    return 0;
  },
};

/** docker info. */
export const info: DockerCommand = {
  path: 'docker info',
  use: '[OPTIONS]',
  short: 'Display system-wide information',
  aliases: ['docker system info', 'docker info'],
  options: [{ name: 'format', short: 'f', type: 'string', usage: 'Format output using a custom template' }],
  args: { max: 0 },
  offline: true,
  run({ client, flags, out, err }) {
    const format = flags.string('format');
    if (format) {
      // The template sees the daemon's Info with the client's beside it, as docker/cli's info struct embeds them.
      const template = parseFormat(format === 'json' ? '{{json .}}' : format);
      if (!client) {
        err(`${CANNOT_CONNECT_MESSAGE}\n`);
        return 1;
      }
      out(`${execute(template, { ...client.info(), ClientInfo: { Debug: false, Version: CLI_VERSION, Context: 'default' } })}\n`);
      return 0;
    }
    out(`Client: Docker Engine - Community\n Version:    ${CLI_VERSION}\n Context:    default\n Debug Mode: false\n\nServer:\n`);
    if (!client) {
      err(`ERROR: ${CANNOT_CONNECT_MESSAGE}\nerrors pretty printing info\n`);
      return 1;
    }
    const i = client.info();
    const lines = [
      ` Containers: ${i.Containers}`,
      `  Running: ${i.ContainersRunning}`,
      `  Paused: ${i.ContainersPaused}`,
      `  Stopped: ${i.ContainersStopped}`,
      ` Images: ${i.Images}`,
      ` Server Version: ${i.ServerVersion}`,
      ` Storage Driver: ${i.Driver}`,
      ...i.DriverStatus.map(([k, v]) => `  ${k}: ${v}`),
      ` Logging Driver: ${i.LoggingDriver}`,
      ` Cgroup Driver: ${i.CgroupDriver}`,
      ` Cgroup Version: ${i.CgroupVersion}`,
      ' Plugins:',
      `  Volume: ${i.Plugins.Volume.join(' ')}`,
      `  Network: ${i.Plugins.Network.join(' ')}`,
      `  Log: ${i.Plugins.Log.join(' ')}`,
      ' Swarm: inactive',
      ` Runtimes: ${i.Runtimes.join(' ')}`,
      ` Default Runtime: ${i.DefaultRuntime}`,
      ` Init Binary: ${i.InitBinary}`,
      ` containerd version: ${i.ContainerdCommit}`,
      ` runc version: ${i.RuncCommit}`,
      ` init version: ${i.InitCommit}`,
      ' Security Options:',
      ...i.SecurityOptions.flatMap((o) => {
        const [name, ...rest] = o.replace(/^name=/, '').split(',');
        return [`  ${name}`, ...rest.map((kv) => `   ${kv.charAt(0).toUpperCase()}${kv.slice(1).replace('=', ': ')}`)];
      }),
      ` Kernel Version: ${i.KernelVersion}`,
      ` Operating System: ${i.OperatingSystem}`,
      ` OSType: ${i.OSType}`,
      ` Architecture: ${i.Architecture}`,
      ` CPUs: ${i.NCPU}`,
      ` Total Memory: ${bytesSize(i.MemTotal)}`,
      ` Name: ${i.Name}`,
      ` ID: ${i.ID}`,
      ` Docker Root Dir: ${i.DockerRootDir}`,
      ' Debug Mode: false',
      ' Experimental: false',
      ' Insecure Registries:',
      '  127.0.0.0/8',
      ' Live Restore Enabled: false',
      '',
    ];
    out(`${lines.join('\n')}\n`);
    return 0;
  },
};

function reclaimable(size: number, total: number, percent: boolean): string {
  if (!percent || total === 0) return humanSize(size);
  return `${humanSize(size)} (${Math.trunc((size * 100) / total)}%)`;
}

/** docker system df. */
export const systemDf: DockerCommand = {
  path: 'docker system df',
  use: '[OPTIONS]',
  short: 'Show docker disk usage',
  options: [
    { name: 'format', type: 'string', usage: 'Format output using a custom template' },
    { name: 'verbose', short: 'v', type: '', usage: 'Show detailed information on space usage' },
  ],
  args: { max: 0 },
  run({ client, flags, out }) {
    const du = client.diskUsage();
    const imagesSize = du.LayersSize;
    const activeImages = du.Images.filter((i) => i.Containers > 0);
    const usedImages = activeImages.reduce((sum, i) => sum + i.Size, 0);
    const containersSize = du.Containers.reduce((sum, c) => sum + (c.SizeRw ?? 0), 0);
    const activeContainers = du.Containers.filter((c) => c.State === 'running');
    const stoppedSize = du.Containers.filter((c) => c.State !== 'running').reduce((sum, c) => sum + (c.SizeRw ?? 0), 0);
    const volumesSize = du.Volumes.reduce((sum, v) => sum + v.UsageData.Size, 0);
    const activeVolumes = du.Volumes.filter((v) => v.UsageData.RefCount > 0);
    const unusedVolumes = du.Volumes.filter((v) => v.UsageData.RefCount === 0).reduce((sum, v) => sum + v.UsageData.Size, 0);
    const rows = [
      { Type: 'Images', TotalCount: String(du.Images.length), Active: String(activeImages.length), Size: humanSize(imagesSize), Reclaimable: reclaimable(Math.max(0, imagesSize - usedImages), imagesSize, true) },
      { Type: 'Containers', TotalCount: String(du.Containers.length), Active: String(activeContainers.length), Size: humanSize(containersSize), Reclaimable: reclaimable(stoppedSize, containersSize, true) },
      { Type: 'Local Volumes', TotalCount: String(du.Volumes.length), Active: String(activeVolumes.length), Size: humanSize(volumesSize), Reclaimable: reclaimable(unusedVolumes, volumesSize, true) },
      { Type: 'Build Cache', TotalCount: '0', Active: '0', Size: '0B', Reclaimable: '0B' },
    ];
    const format = flags.string('format') || 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}';
    out(formatRows(format, rows, { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' }));
    return 0;
  },
};
