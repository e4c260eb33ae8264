/**
 * `docker build` (docker/cli cli/command/image/build.go with the legacy builder, as Docker 27 runs it
 * when the buildx component is missing, or when DOCKER_BUILDKIT=0): the deprecation notice on stderr,
 * the context directory read from the shell's file system with .dockerignore applied (moby
 * patternmatcher; the Dockerfile and .dockerignore always sent), tarred and "sent" with
 * `Sending build context to Docker daemon  2.048kB`, then the daemon's build output. `-` reads a
 * Dockerfile from stdin with no context. `-q` prints only the image ID (and the output on failure).
 *
 * Left out: URL and git contexts, a tar archive on stdin, `-f -` with a context directory, `--iidfile`,
 * `--platform`, `--network`, resource flags, and BuildKit (`DOCKER_BUILDKIT=1` fails as without buildx).
 */
import { BuildError, type BuildMessage } from '../../../runtime/dockerd/builder/builder.ts';
import { PatternMatcher, readDockerignore } from '../../../runtime/dockerd/builder/dockerignore.ts';
import { humanSize } from '../../../runtime/dockerd/units/size.ts';
import { writeTar, type TarEntry } from '../../../runtime/image/tar.ts';
import { parseImageReference } from '../../../runtime/imageReference.ts';
import type { FileSystem } from '../../fs.ts';
import { CliError, type DockerCommand } from './dockerCommand.ts';
import { displayJSONMessage } from './pull.ts';

const LEGACY_NOTICE = 'DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n';
const BUILDX_MISSING = '            Install the buildx component to build images with BuildKit:\n            https://docs.docker.com/go/buildx/\n\n';
const BUILDKIT_DISABLED = '            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0\n            environment-variable.\n\n';

/** strconv.ParseBool. */
function parseBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

/** The context directory's members (relative paths), excluded ones left out, root-owned as the CLI sends them. */
export function contextEntries(fs: FileSystem, dir: string, excludes: readonly string[]): TarEntry[] {
  const matcher = new PatternMatcher(excludes);
  const entries: TarEntry[] = [];
  const walk = (rel: string): void => {
    for (const name of fs.readdir(rel === '' ? dir : `${dir}/${rel}`)) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const stat = fs.stat(`${dir}/${path}`);
      if (!stat) continue;
      const excluded = matcher.matchesOrParentMatches(path);
      if (excluded && !(stat.type === 'dir' && matcher.exclusions())) continue;
      const base = { path: `/${path}`, mode: stat.mode & 0o7777, uid: 0, gid: 0, mtime: Math.floor(stat.mtimeMs / 1000) };
      if (stat.type === 'dir') {
        if (!excluded) entries.push({ ...base, type: 'dir' });
        walk(path);
      } else if (!excluded) entries.push({ ...base, type: 'file', data: fs.readFile(`${dir}/${path}`) });
    }
  };
  walk('');
  return entries;
}

/** docker build. */
export const build: DockerCommand = {
  path: 'docker build',
  use: '[OPTIONS] PATH | URL | -',
  short: 'Build an image from a Dockerfile',
  aliases: ['docker image build', 'docker build', 'docker builder build'],
  options: [
    { name: 'build-arg', type: 'list', usage: 'Set build-time variables' },
    { name: 'file', short: 'f', type: 'string', usage: "Name of the Dockerfile (Default is 'PATH/Dockerfile')" },
    { name: 'force-rm', type: '', usage: 'Always remove intermediate containers' },
    { name: 'label', type: 'list', usage: 'Set metadata for an image' },
    { name: 'no-cache', type: '', usage: 'Do not use cache when building the image' },
    { name: 'pull', type: '', usage: 'Always attempt to pull a newer version of the image' },
    { name: 'quiet', short: 'q', type: '', usage: 'Suppress the build output and print image ID on success' },
    { name: 'rm', type: '', usage: 'Remove intermediate containers after a successful build', default: 'true' },
    { name: 'tag', short: 't', type: 'list', usage: 'Name and optionally a tag in the "name:tag" format' },
    { name: 'target', type: 'string', usage: 'Set the target build stage to build.' },
  ],
  args: { min: 1, max: 1 },
  async run({ ctx, client, flags, args, out, err }) {
    const buildkit = ctx.env.get('DOCKER_BUILDKIT');
    if (buildkit !== undefined && buildkit !== '') {
      const enabled = parseBool(buildkit);
      if (enabled === undefined) throw new CliError(`DOCKER_BUILDKIT environment variable expects boolean value: strconv.ParseBool: parsing "${buildkit}": invalid syntax`);
      if (enabled) {
        throw new CliError('ERROR: BuildKit is enabled but the buildx component is missing or broken.\n       Install the buildx component to build images with BuildKit:\n       https://docs.docker.com/go/buildx/');
      }
      err(LEGACY_NOTICE + BUILDKIT_DISABLED);
    } else err(LEGACY_NOTICE + BUILDX_MISSING);

    const tags = flags.list('tag');
    for (const tag of tags) {
      try {
        parseImageReference(tag);
      } catch (error) {
        throw new CliError(`invalid argument "${tag}" for "-t, --tag" flag: ${(error as Error).message}\nSee 'docker build --help'.`, 125);
      }
    }
    const quiet = flags.bool('quiet');
    const specified = args[0]!;
    let entries: TarEntry[];
    let dockerfile = flags.string('file');
    if (specified === '-') {
      entries = [{ path: '/Dockerfile', type: 'file', mode: 0o600, uid: 0, gid: 0, mtime: Math.floor(ctx.clock.now() / 1000), data: ctx.stdin }];
      dockerfile = 'Dockerfile';
    } else {
      const dir = ctx.fs.resolve(specified, ctx.cwd);
      const stat = ctx.fs.stat(dir);
      if (!stat) throw new CliError(`unable to prepare context: path "${specified}" not found`);
      if (stat.type !== 'dir') throw new CliError(`unable to prepare context: context must be a directory: ${dir}`);
      const dfPath = dockerfile === '' ? `${dir}/Dockerfile` : ctx.fs.resolve(dockerfile, dir);
      if (!ctx.fs.stat(dfPath)) {
        if (dockerfile === '' && ctx.fs.stat(`${dir}/dockerfile`)) dockerfile = 'dockerfile';
        else throw new CliError(`unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${dfPath}: no such file or directory`);
      }
      const rel = dockerfile === '' ? 'Dockerfile' : dockerfile === 'dockerfile' ? 'dockerfile' : dfPath.startsWith(`${dir}/`) ? dfPath.slice(dir.length + 1) : dfPath;
      dockerfile = rel;
      let excludes: string[] = [];
      if (ctx.fs.stat(`${dir}/.dockerignore`)?.type === 'file') excludes = readDockerignore(ctx.fs.readFile(`${dir}/.dockerignore`));
      const matcher = new PatternMatcher(excludes);
      if (matcher.matchesOrParentMatches('.dockerignore')) excludes.push('!.dockerignore');
      if (matcher.matchesOrParentMatches(rel)) excludes.push(`!${rel}`);
      entries = contextEntries(ctx.fs, dir, excludes);
    }
    const context = writeTar(entries);
    let buffered = '';
    const emit = (text: string) => (quiet ? (buffered += text) : out(text));
    emit(`Sending build context to Docker daemon ${humanSize(context.length).padStart(8)}\n`);
    const buildArgs: Record<string, string> = {};
    for (const arg of flags.list('build-arg')) {
      const eq = arg.indexOf('=');
      if (eq >= 0) buildArgs[arg.slice(0, eq)] = arg.slice(eq + 1);
      else {
        const value = ctx.env.get(arg);
        if (value !== undefined) buildArgs[arg] = value;
      }
    }
    const labels: Record<string, string> = {};
    for (const label of flags.list('label')) {
      const eq = label.indexOf('=');
      labels[eq < 0 ? label : label.slice(0, eq)] = eq < 0 ? '' : label.slice(eq + 1);
    }
    const onOutput = (m: BuildMessage) => {
      if ('stream' in m) emit(m.stream);
      else if ('status' in m) emit(displayJSONMessage(m.status));
    };
    let id: string;
    try {
      id = await client.imageBuild(context, {
        dockerfile,
        tags,
        buildArgs,
        noCache: flags.bool('no-cache'),
        ...(flags.string('target') ? { target: flags.string('target') } : {}),
        labels,
      }, onOutput);
    } catch (error) {
      if (!(error instanceof BuildError)) throw error;
      if (quiet) err(buffered);
      err(`${error.message}\n`);
      return error.code === 0 ? 1 : error.code;
    }
    if (quiet) out(`${id}\n`);
    return 0;
  },
};
