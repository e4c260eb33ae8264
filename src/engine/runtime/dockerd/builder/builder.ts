/**
 * Builder — Docker 27's classic image builder (moby builder/dockerfile: builder.go, evaluator.go,
 * dispatchers.go, internals.go, imageprobe.go, copy.go) on a Dockerd, as POST /build runs it.
 *
 * The context arrives as a tar (the CLI's, .dockerignore applied); the Dockerfile is read from it, parsed
 * (parser.ts) and split into stages; a parse error, a missing or empty Dockerfile or an unknown
 * `--target` fails before any output. Each instruction prints `Step N/M : <line>` and makes an image
 * whose Parent is the previous one:
 * - metadata instructions (ENV, LABEL, CMD, ENTRYPOINT, EXPOSE, USER, VOLUME, STOPSIGNAL, SHELL, ARG,
 *   HEALTHCHECK, MAINTAINER, ONBUILD) create a container whose Cmd is the `#(nop)` comment, commit it
 *   (no layer: `empty_layer`) and remove it;
 * - RUN creates a container running the command under the SHELL (`/bin/sh -c`), its output streamed,
 *   waits, commits its writable layer and removes it; a non-zero exit fails the build and leaves it;
 * - WORKDIR commits a container in which the directory was made;
 * - COPY/ADD write the sources into a writable layer on the image (no container) and commit it, the
 *   cache key carrying the sources' content checksum (`file:<sha256>`, `dir:…`, `multi:…`). ADD unpacks a
 *   local file that is a tar archive (told by its content, as Go's tar reader accepting a first header, not
 *   by its name) into the destination directory, its members keeping their owners and modes (`--chown`
 *   does not apply); COPY copies the archive as a file.
 * Before each step the cache is probed (ImageService.getCache); a hit prints ` ---> Using cache`; the
 * first miss of a stage turns probing off for the rest of it; `--no-cache` never probes.
 *
 * Left out: ONBUILD triggers running on FROM, ADD's URL download (it fails as offline), compressed
 * archives (the lab's files are text, so no gzip, bzip2 or xz file reaches ADD), heredocs, `--platform`, COPY `--link`/`--parents`/`--exclude`, `--chmod`, squash, and the
 * tarsum byte form of the sources' checksums (ours hash the same fields, so equal content hits the cache).
 */
import { sha256Digest, type Digest } from '../../image/digest.ts';
import type { ContainerConfig as ImageContainerConfig, HealthConfig } from '../../image/imageConfig.ts';
import { isTarArchive, readTar, TarError, type TarEntry } from '../../image/tar.ts';
import type { JSONMessage } from '../../registry/puller.ts';
import { apply } from '../../snapshots/archive/apply.ts';
import { diff } from '../../snapshots/archive/diff.ts';
import type { Vfs } from '../../../kernel/fs/vfs.ts';
import { DaemonError } from '../daemonError.ts';
import type { Dockerd } from '../dockerd.ts';
import type { DockerImage } from '../imageService.ts';
import { DEFAULT_PATH_ENV } from '../createSpec.ts';
import { BuildArgs } from './buildArgs.ts';
import { PatternMatcher, cleanPath, readDockerignore } from './dockerignore.ts';
import { parseDockerfile, DockerfileParseError, type Node } from './parser.ts';
import { processFields, processWord, ShellLexError, splitWords } from './shellLex.ts';

/** POST /build's query options. */
export interface ImageBuildOptions {
  /** The Dockerfile's path in the context (default `Dockerfile`). */
  dockerfile?: string;
  /** `-t` references. */
  tags?: string[];
  /** `--build-arg` values. */
  buildArgs?: Record<string, string>;
  /** `--no-cache`. */
  noCache?: boolean;
  /** `--target`. */
  target?: string;
  /** `--label`. */
  labels?: Record<string, string>;
}

/** One message of the build's output stream. */
export type BuildMessage = { stream: string } | { status: JSONMessage } | { aux: { ID: string } };

/** A failure after the output began: the CLI prints the message alone and exits with `code`. */
export class BuildError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

const INSTRUCTIONS = ['add', 'arg', 'cmd', 'copy', 'entrypoint', 'env', 'expose', 'from', 'healthcheck', 'label', 'maintainer', 'onbuild', 'run', 'shell', 'stopsignal', 'user', 'volume', 'workdir'];
const EXPANDS = new Set(['add', 'copy', 'env', 'expose', 'from', 'label', 'stopsignal', 'user', 'volume', 'workdir', 'arg']);
const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** A stage: its FROM and instructions. */
interface Stage {
  from: Node;
  name: string;
  commands: Node[];
}

/** The run config a stage accumulates (moby's dispatchState.runConfig). */
interface RunConfig extends ImageContainerConfig {
  Env: string[];
}

interface DispatchState {
  imageId: Digest | undefined;
  runConfig: RunConfig;
  cmdSet: boolean;
  maintainer: string;
  buildArgs: BuildArgs;
  cacheBusted: boolean;
}

/** buildkit's suggest.WrapError for an unknown instruction. */
function unknownInstruction(value: string): string {
  const lower = value.toLowerCase();
  let match = '';
  let min = 3;
  for (const name of INSTRUCTIONS) {
    const d = levenshtein(lower, name);
    if (d < min) {
      min = d;
      match = value === value.toUpperCase() ? name.toUpperCase() : name;
    }
  }
  return `unknown instruction: ${value}${match ? ` (did you mean ${match}?)` : ''}`;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** Go's %q of a string. */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u001b/g, '\\x1b').replace(/\u2028/g, '\\u2028');
}

/** Go's %q of a []string: `["a" "b"]`. */
function goQuoteList(list: readonly string[]): string {
  return `[${list.map(goQuote).join(' ')}]`;
}

/** Go's time.Duration String (`30s`, `5m0s`, `1h0m0s`, `0s`) of nanoseconds. */
function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  let s = ns / 1e9;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const sec = `${Number(s.toFixed(9))}s`;
  return h > 0 ? `${h}h${m}m${sec}` : m > 0 ? `${m}m${sec}` : sec;
}

/** Parse a Go duration (`30s`, `1m30s`, `500ms`) to nanoseconds. */
function parseDuration(text: string, flag: string): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * units[m[2]!]!;
    at = re.lastIndex;
  }
  if (at !== text.length || text === '') throw new DaemonError(`time: invalid duration "${text}"`, 400);
  if (total < 1e6 && total !== 0) throw new DaemonError(`Interval "${flag}" cannot be less than 1ms`, 400);
  return total;
}

/** The builder flags of a node: `--name=value` → map; unknown ones fail as buildkit's BFlags do. */
function flagsOf(node: Node, allowed: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of node.flags) {
    const eq = f.indexOf('=');
    const name = eq < 0 ? f.slice(2) : f.slice(2, eq);
    if (!allowed.includes(name)) throw new DaemonError(`dockerfile parse error on line ${node.startLine}: unknown flag: ${name}`, 400);
    out.set(name, eq < 0 ? '' : f.slice(eq + 1));
  }
  return out;
}

/** `key=value` pairs of ENV/LABEL/ARG (the parser's parseNameVal), values still unexpanded. */
function nameValues(node: Node, esc: string): Array<[string, string | undefined]> {
  const words = splitWords(node.rest, esc);
  const name = node.cmd.toUpperCase();
  if (words.length === 0) throw new DaemonError(`dockerfile parse error on line ${node.startLine}: ${name} requires at least one argument`, 400);
  if (node.cmd !== 'arg' && !words[0]!.includes('=')) {
    const [key, ...rest] = node.rest.split(/\s+/);
    if (rest.length === 0) throw new DaemonError(`dockerfile parse error on line ${node.startLine}: ${name} must have two arguments`, 400);
    return [[key!, node.rest.slice(key!.length).trim()]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) {
      if (node.cmd === 'arg') return [w, undefined];
      throw new DaemonError(`dockerfile parse error on line ${node.startLine}: ${name} names can not be blank`, 400);
    }
    if (eq === 0) throw new DaemonError(`dockerfile parse error on line ${node.startLine}: ${name} names can not be blank`, 400);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/** The sources a COPY or ADD reads: a path → entry map of the context or of another image. */
type Source = Map<string, TarEntry>;

/** One source of a COPY or ADD (moby's copyInfo): what it holds, its checksum for the cache key. */
interface CopyInfo {
  path: string;
  hash: string;
  /** Its members, with paths relative to it (a file: `/<its name>`). */
  entries: TarEntry[];
  isDir: boolean;
  /** For ADD of a local tar archive: the members to unpack into the destination directory. */
  archive?: TarEntry[];
}

export class Builder {
  private readonly out: (m: BuildMessage) => void;
  private readonly options: ImageBuildOptions;
  private readonly daemon: Dockerd;
  private readonly vfs: Vfs;
  private context: Source = new Map();
  private escape = '\\';
  private buildArgs!: BuildArgs;
  private readonly stageImages = new Map<string, Digest | undefined>();
  private readonly tmpContainers = new Set<string>();
  private scratchCount = 0;

  constructor(daemon: Dockerd, vfs: Vfs, options: ImageBuildOptions, out: (m: BuildMessage) => void) {
    this.daemon = daemon;
    this.vfs = vfs;
    this.options = options;
    this.out = out;
  }

  /** Build `context` (a tar); resolves with the final image ID. DaemonError before output, BuildError after. */
  async build(context: Uint8Array): Promise<Digest> {
    const { stages, metaArgs } = this.prepare(context);
    let total = metaArgs.length;
    for (const s of stages) total += s.commands.length + 1;
    let step = 0;
    const print = (node: Node) => this.write(`Step ${++step}/${total} : ${node.original}\n`);
    try {
      for (const node of metaArgs) {
        print(node);
        for (const [key, value] of nameValues(node, this.escape)) {
          this.buildArgs.addMetaArg(key, value === undefined ? undefined : processWord(value, this.buildArgs.metaEnv(), this.escape));
        }
      }
      let state: DispatchState | undefined;
      for (const [index, stage] of stages.entries()) {
        print(stage.from);
        state = await this.dispatchFrom(stage);
        this.write(` ---> ${state.imageId ? state.imageId.slice(7, 19) : ''}\n`);
        for (const node of stage.commands) {
          print(node);
          await this.dispatch(state, node);
          await this.removeAll();
          this.write(` ---> ${state.imageId?.slice(7, 19) ?? ''}\n`);
        }
        this.stageImages.set(String(index), state.imageId);
        if (stage.name) this.stageImages.set(stage.name, state.imageId);
      }
      const unused = this.buildArgs.unusedBuildArgs();
      if (unused.length > 0) this.write(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed\n`);
      const id = state?.imageId;
      if (!id) throw new BuildError('No image was generated. Is your Dockerfile empty?');
      this.out({ aux: { ID: id } });
      this.write(`Successfully built ${id.slice(7, 19)}\n`);
      for (const tag of this.options.tags ?? []) {
        this.daemon.images.tag(id, tag);
        this.write(`Successfully tagged ${tag.includes(':') && !tag.endsWith(']') && tag.lastIndexOf(':') > tag.lastIndexOf('/') ? tag : `${tag}:latest`}\n`);
      }
      return id;
    } catch (error) {
      if (error instanceof BuildError) throw error;
      if (error instanceof DaemonError || error instanceof ShellLexError) throw new BuildError(error.message);
      throw error;
    }
  }

  private write(text: string): void {
    this.out({ stream: text });
  }

  /** Read the context and Dockerfile, parse, split into stages; errors here are the daemon's (no output yet). */
  private prepare(context: Uint8Array): { stages: Stage[]; metaArgs: Node[] } {
    for (const e of readTar(context)) this.context.set(cleanPath(e.path), { ...e, path: `/${cleanPath(e.path)}` });
    const name = cleanPath(this.options.dockerfile ?? 'Dockerfile');
    let dockerfile = this.context.get(name);
    if (!dockerfile && name === 'Dockerfile') dockerfile = this.context.get('dockerfile');
    if (!dockerfile || dockerfile.type !== 'file') throw new DaemonError(`Cannot locate specified Dockerfile: ${this.options.dockerfile ?? 'Dockerfile'}`, 400);
    const ignore = this.context.get('.dockerignore');
    if (ignore?.type === 'file') {
      const matcher = new PatternMatcher(readDockerignore(ignore.data ?? ''));
      for (const f of ['.dockerignore', name]) if (matcher.matchesOrParentMatches(f)) this.context.delete(f);
    }
    if ((dockerfile.data ?? '') === '') throw new DaemonError(`the Dockerfile (${this.options.dockerfile ?? 'Dockerfile'}) cannot be empty`, 400);
    let parsed;
    try {
      parsed = parseDockerfile(dockerfile.data ?? '');
    } catch (error) {
      if (error instanceof DockerfileParseError) throw new DaemonError(error.message, 400);
      throw error;
    }
    this.escape = parsed.escapeToken;
    const stages: Stage[] = [];
    const metaArgs: Node[] = [];
    for (const node of parsed.nodes) {
      if (!INSTRUCTIONS.includes(node.cmd)) throw new DaemonError(`dockerfile parse error on line ${node.startLine}: ${unknownInstruction(node.value)}`, 400);
      if (node.cmd === 'from') {
        const words = node.rest.split(/\s+/).filter(Boolean);
        if (words.length !== 1 && words.length !== 3) throw new DaemonError(`dockerfile parse error on line ${node.startLine}: FROM requires either one or three arguments`, 400);
        if (words.length === 3 && words[1]!.toLowerCase() !== 'as') throw new DaemonError(`dockerfile parse error on line ${node.startLine}: FROM requires either one or three arguments`, 400);
        const stageName = (words[2] ?? '').toLowerCase();
        if (stageName && !/^[a-z][a-z0-9-_.]*$/.test(stageName)) throw new DaemonError(`dockerfile parse error on line ${node.startLine}: invalid name for build stage: "${words[2]}", name can't start with a number or contain symbols`, 400);
        stages.push({ from: node, name: stageName, commands: [] });
      } else if (stages.length === 0 && node.cmd === 'arg') metaArgs.push(node);
      else if (stages.length === 0) throw new DaemonError('no build stage in current context', 400);
      else stages.at(-1)!.commands.push(node);
    }
    if (this.options.target) {
      const at = stages.findIndex((s) => s.name === this.options.target!.toLowerCase());
      if (at < 0) throw new DaemonError(`failed to reach build target ${this.options.target} in Dockerfile`, 400);
      stages.length = at + 1;
    }
    const labels = Object.entries(this.options.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
    if (labels.length > 0) {
      const text = labels.map(([k, v]) => `${goQuote(k)}=${goQuote(v)}`).join(' ');
      const last = stages.at(-1)!;
      last.commands.push({ value: 'LABEL', cmd: 'label', flags: [], rest: text, original: `LABEL ${text}`, startLine: 0, endLine: 0 });
    }
    this.buildArgs = new BuildArgs(new Map(Object.entries(this.options.buildArgs ?? {})));
    return { stages, metaArgs };
  }

  // —— FROM ——

  private async dispatchFrom(stage: Stage): Promise<DispatchState> {
    const words = stage.from.rest.split(/\s+/).filter(Boolean);
    const base = processWord(words[0]!, this.buildArgs.metaEnv(), this.escape);
    const state: DispatchState = { imageId: undefined, runConfig: { Env: [] }, cmdSet: false, maintainer: '', buildArgs: this.buildArgs.clone(), cacheBusted: false };
    let image: DockerImage | undefined;
    const byStage = this.stageImages.get(base.toLowerCase());
    if (this.stageImages.has(base.toLowerCase()) && byStage) image = this.daemon.images.get(byStage);
    else if (base.toLowerCase() !== 'scratch') {
      image = this.daemon.images.find(base);
      if (!image) {
        await this.daemon.imagePull(base, (m) => this.out({ status: m }));
        image = this.daemon.images.get(base);
      }
    }
    if (image) {
      state.imageId = image.id;
      const c = image.config.config;
      state.runConfig = { ...structuredClone(c), Env: [...(c.Env ?? [])] };
    }
    if (!state.runConfig.Env.some((e) => e.startsWith('PATH='))) state.runConfig.Env.push(DEFAULT_PATH_ENV);
    return state;
  }

  // —— dispatch ——

  private async dispatch(state: DispatchState, node: Node): Promise<void> {
    const env = () => [...state.runConfig.Env, ...state.buildArgs.filterAllowed(state.runConfig.Env)];
    const expand = (word: string) => (EXPANDS.has(node.cmd) ? processWord(word, env(), this.escape) : word);
    const rc = state.runConfig;
    switch (node.cmd) {
      case 'env': {
        const pairs = nameValues(node, this.escape).map(([k, v]) => [expand(k), expand(v ?? '')] as const);
        for (const [k, v] of pairs) {
          const at = rc.Env.findIndex((e) => e.split('=', 1)[0] === k);
          if (at >= 0) rc.Env[at] = `${k}=${v}`;
          else rc.Env.push(`${k}=${v}`);
        }
        return this.commit(state, `ENV ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`);
      }
      case 'label': {
        const pairs = nameValues(node, this.escape).map(([k, v]) => [expand(k), expand(v ?? '')] as const);
        rc.Labels ??= {};
        for (const [k, v] of pairs) rc.Labels[k] = v;
        return this.commit(state, `LABEL ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`);
      }
      case 'arg': {
        const pairs = nameValues(node, this.escape).map(([k, v]) => [k, v === undefined ? undefined : expand(v)] as const);
        for (const [k, v] of pairs) state.buildArgs.addArg(k, v);
        return this.commit(state, `ARG ${pairs.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join(' ')}`);
      }
      case 'maintainer':
        state.maintainer = node.rest;
        return this.commit(state, `MAINTAINER ${node.rest}`);
      case 'user':
        rc.User = expand(node.rest);
        return this.commit(state, `USER ${rc.User}`);
      case 'stopsignal':
        rc.StopSignal = expand(node.rest);
        return this.commit(state, `STOPSIGNAL ${rc.StopSignal}`);
      case 'expose': {
        const ports = processFields(node.rest, env(), this.escape);
        rc.ExposedPorts ??= {};
        for (const p of ports) rc.ExposedPorts[p.includes('/') ? p.toLowerCase() : `${p}/tcp`] = {};
        return this.commit(state, `EXPOSE ${ports.join(' ')}`);
      }
      case 'volume': {
        const vols = node.json ?? processFields(node.rest, env(), this.escape);
        if (vols.length === 0) throw new DaemonError('VOLUME specified can not be an empty string', 400);
        rc.Volumes ??= {};
        for (const v of vols) rc.Volumes[v.trim()] = {};
        return this.commit(state, `VOLUME [${vols.join(' ')}]`);
      }
      case 'shell': {
        if (!node.json) throw new DaemonError(`dockerfile parse error on line ${node.startLine}: SHELL requires the arguments to be in JSON form`, 400);
        rc.Shell = [...node.json];
        return this.commit(state, `SHELL [${rc.Shell.join(' ')}]`);
      }
      case 'cmd': {
        rc.Cmd = node.json ?? [...(rc.Shell ?? DEFAULT_SHELL), node.rest];
        state.cmdSet = true;
        return this.commit(state, `CMD ${goQuoteList(rc.Cmd)}`);
      }
      case 'entrypoint': {
        const ep = node.json ?? (node.rest === '' ? [] : [...(rc.Shell ?? DEFAULT_SHELL), node.rest]);
        if (ep.length > 0) rc.Entrypoint = ep;
        else delete rc.Entrypoint;
        if (!state.cmdSet) delete rc.Cmd;
        return this.commit(state, `ENTRYPOINT ${goQuoteList(ep)}`);
      }
      case 'onbuild': {
        const trigger = node.rest.trim();
        const word = trigger.split(/\s+/, 1)[0]!.toUpperCase();
        if (word === 'ONBUILD') throw new DaemonError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", 400);
        if (word === 'FROM' || word === 'MAINTAINER') throw new DaemonError(`${word} isn't allowed as an ONBUILD trigger`, 400);
        rc.OnBuild = [...(rc.OnBuild ?? []), trigger];
        return this.commit(state, `ONBUILD ${trigger}`);
      }
      case 'healthcheck':
        rc.Healthcheck = this.healthcheck(node);
        return this.commit(state, `HEALTHCHECK ${healthText(rc.Healthcheck)}`);
      case 'workdir':
        return this.dispatchWorkdir(state, expand(node.rest));
      case 'run':
        return this.dispatchRun(state, node);
      case 'copy':
      case 'add':
        return this.dispatchCopy(state, node, expand);
      default:
        throw new DaemonError(unknownInstruction(node.value), 400);
    }
  }

  private healthcheck(node: Node): HealthConfig {
    const flags = flagsOf(node, ['interval', 'timeout', 'start-period', 'start-interval', 'retries']);
    const [kind, ...restWords] = node.rest.split(/\s+/);
    const type = (kind ?? '').toUpperCase();
    if (type === 'NONE') {
      if (restWords.length > 0 || flags.size > 0) throw new DaemonError('HEALTHCHECK NONE takes no arguments', 400);
      return { Test: ['NONE'] };
    }
    if (type !== 'CMD') throw new DaemonError(`Unknown type "${type}" in HEALTHCHECK (try CMD)`, 400);
    const cmdText = node.rest.slice(kind!.length).trim();
    const json = cmdText.startsWith('[') ? (JSON.parse(cmdText) as string[]) : undefined;
    const health: HealthConfig = { Test: json ? ['CMD', ...json] : ['CMD-SHELL', cmdText] };
    const d = (name: string) => (flags.has(name) ? parseDuration(flags.get(name)!, name) : 0);
    health.Interval = d('interval');
    health.Timeout = d('timeout');
    health.StartPeriod = d('start-period');
    health.StartInterval = d('start-interval');
    if (flags.has('retries')) {
      const n = Number(flags.get('retries'));
      if (!Number.isInteger(n) || n < 1) throw new DaemonError(`--retries must be at least 1 (not ${flags.get('retries')})`, 400);
      health.Retries = n;
    }
    return health;
  }

  /** The image config a committed step has: the stage's run config, as moby copies it. */
  private imageConfig(rc: RunConfig): ImageContainerConfig {
    const { Env, ...rest } = structuredClone(rc);
    return { ...rest, ...(Env.length > 0 ? { Env } : {}) };
  }

  /** probeCache: a hit moves the stage onto the cached image. */
  private probeCache(state: DispatchState, containerConfig: ImageContainerConfig): boolean {
    if (this.options.noCache || state.cacheBusted) return false;
    const cached = this.daemon.images.getCache(state.imageId, containerConfig);
    if (!cached) {
      state.cacheBusted = true;
      return false;
    }
    this.write(' ---> Using cache\n');
    state.imageId = cached;
    return true;
  }

  /** builder.commit: a metadata step, as a container with the `#(nop)` Cmd committed with no changes. */
  private async commit(state: DispatchState, comment: string, single = false): Promise<void> {
    const shell = state.runConfig.Shell ?? DEFAULT_SHELL;
    const containerConfig = { ...this.imageConfig(state.runConfig), Cmd: single ? [...shell, `#(nop) ${comment}`] : [...shell, '#(nop) ', comment] };
    if (this.probeCache(state, containerConfig)) return;
    if (!state.imageId) {
      state.imageId = this.daemon.images.buildStep(undefined, undefined, this.imageConfig(state.runConfig), containerConfig, state.maintainer);
      return;
    }
    const id = this.create(state, containerConfig);
    await this.commitContainer(state, id, containerConfig);
  }

  private create(state: DispatchState, config: ImageContainerConfig, env?: string[]): string {
    const { Id } = this.daemon.containerCreate({
      config: {
        Image: state.imageId!,
        ...(config.User ? { User: config.User } : {}),
        Env: env ?? config.Env ?? [],
        Cmd: config.Cmd ?? [],
        Entrypoint: [''],
        ...(config.WorkingDir ? { WorkingDir: config.WorkingDir } : {}),
        ...(config.Labels ? { Labels: config.Labels } : {}),
        ...(config.Volumes ? { Volumes: config.Volumes } : {}),
      },
    });
    this.tmpContainers.add(Id);
    this.write(` ---> Running in ${Id.slice(0, 12)}\n`);
    return Id;
  }

  private async commitContainer(state: DispatchState, id: string, containerConfig: ImageContainerConfig): Promise<void> {
    const rw = this.daemon.layers.getRWLayer(id)!;
    const parent = this.daemon.images.get(state.imageId!);
    state.imageId = this.daemon.images.buildStep(parent, this.daemon.driver.diff(rw.mountID), this.imageConfig(state.runConfig), containerConfig, state.maintainer);
  }

  /** The containers of the step, removed with their anonymous volumes once it succeeded. */
  private async removeAll(): Promise<void> {
    for (const id of this.tmpContainers) {
      await this.daemon.containerRemove(id, { force: true, volumes: true });
      this.tmpContainers.delete(id);
      this.write(` ---> Removed intermediate container ${id.slice(0, 12)}\n`);
    }
  }

  private async dispatchWorkdir(state: DispatchState, path: string): Promise<void> {
    const rc = state.runConfig;
    const joined = path.startsWith('/') ? path : `${rc.WorkingDir ?? '/'}/${path}`;
    rc.WorkingDir = `/${cleanPath(joined)}`.replace(/^\/\.$/, '/');
    const shell = rc.Shell ?? DEFAULT_SHELL;
    const containerConfig = { ...this.imageConfig(rc), Cmd: [...shell, `#(nop) WORKDIR ${rc.WorkingDir}`] };
    if (this.probeCache(state, containerConfig)) return;
    if (!state.imageId) {
      state.imageId = this.daemon.images.buildStep(undefined, undefined, this.imageConfig(rc), containerConfig, state.maintainer);
      return;
    }
    const id = this.create(state, containerConfig);
    const rw = this.daemon.layers.getRWLayer(id)!;
    const root = this.daemon.driver.get(rw.mountID);
    try {
      this.vfs.mkdirAll(`${root}${rc.WorkingDir}`, 0o755);
    } finally {
      this.daemon.driver.put(rw.mountID);
    }
    await this.commitContainer(state, id, containerConfig);
  }

  private async dispatchRun(state: DispatchState, node: Node): Promise<void> {
    const rc = state.runConfig;
    const cmd = node.json ?? [...(rc.Shell ?? DEFAULT_SHELL), node.rest];
    const buildArgs = state.buildArgs.filterAllowed(rc.Env);
    const saveCmd = buildArgs.length > 0 ? [`|${buildArgs.length}`, ...buildArgs, ...cmd] : cmd;
    const probeConfig: ImageContainerConfig = { ...this.imageConfig(rc), Cmd: saveCmd };
    delete probeConfig.Entrypoint;
    if (this.probeCache(state, probeConfig)) return;
    if (!state.imageId) throw new BuildError(`failed to create task for container: OCI runtime create failed: runc create failed: unable to start container process: exec: "${cmd[0]}": stat ${cmd[0]}: no such file or directory: unknown`, 127);
    const id = this.create(state, { ...this.imageConfig(rc), Cmd: cmd }, [...rc.Env, ...buildArgs]);
    const attach = this.daemon.containerAttach(id);
    const sub = attach.onDidLog((e) => this.write(e.log));
    let code: number;
    try {
      this.daemon.containerStart(id);
      code = await this.daemon.containerWait(id);
      await attach.done;
    } catch (error) {
      sub.dispose();
      attach.dispose();
      if (error instanceof DaemonError) throw new BuildError(error.message, 1);
      throw error;
    }
    sub.dispose();
    attach.dispose();
    if (code !== 0) throw new BuildError(`The command '${cmd.join(' ')}' returned a non-zero code: ${code}`, code);
    await this.commitContainer(state, id, probeConfig);
  }

  // —— COPY and ADD ——

  private async dispatchCopy(state: DispatchState, node: Node, expand: (w: string) => string): Promise<void> {
    const name = node.cmd.toUpperCase();
    const flags = flagsOf(node, node.cmd === 'copy' ? ['from', 'chown', 'chmod', 'link'] : ['chown', 'chmod', 'link', 'checksum', 'keep-git-dir']);
    const args = node.json ?? splitWords(node.rest, this.escape);
    if (args.length < 2) throw new DaemonError(`${name} requires at least two arguments, but only ${args.length} provided`, 400);
    const words = node.json ? args.map(expand) : args.map(expand);
    const dest = words.at(-1)!;
    const srcs = words.slice(0, -1);
    let source: Source = this.context;
    let release: (() => void) | undefined;
    const from = flags.get('from');
    if (from !== undefined) {
      const fromName = expand(from).toLowerCase();
      let id = this.stageImages.get(fromName);
      if (id === undefined && !this.stageImages.has(fromName)) {
        const image = this.daemon.images.find(from) ?? (await this.daemon.imagePull(from, (m) => this.out({ status: m })), this.daemon.images.get(from));
        id = image.id;
      }
      ({ source, release } = this.imageSource(id));
    }
    try {
      const infos: CopyInfo[] = [];
      for (const src of srcs) {
        if (/^https?:\/\//.test(src)) {
          if (node.cmd === 'copy') throw new BuildError('COPY failed: source can\'t be a URL for COPY');
          const host = src.replace(/^https?:\/\//, '').split(/[/:?#]/, 1)[0]!;
          throw new BuildError(`Get "${src}": dial tcp: lookup ${host}: no such host`);
        }
        const pattern = cleanPath(src);
        const wildcard = /[*?[\\]/.test(pattern);
        const matches = wildcard ? [...source.keys()].filter((p) => globMatch(pattern, p)).sort() : pattern === '.' || source.has(pattern) ? [pattern] : [];
        if (matches.length === 0) {
          if (wildcard) throw new BuildError(`${name} failed: no source files were specified`);
          throw new BuildError(`${name} failed: file not found in build context or excluded by .dockerignore: stat ${src}: file does not exist`);
        }
        for (const m of matches) infos.push(this.copyInfo(source, m, node.cmd === 'add'));
      }
      const multiple = infos.length > 1;
      if (multiple && !dest.endsWith('/')) throw new BuildError(`When using ${name} with more than one source file, the destination must be a directory and end with a /`);
      const hash = infos.length === 1 ? infos[0]!.hash : `multi:${sha256Digest(infos.map((i) => i.hash).join(',')).slice(7)}`;
      const chown = flags.get('chown');
      const comment = `${name} ${chown ? `--chown=${chown}` : ''}${hash} in ${dest} `;
      const rc = state.runConfig;
      const shell = rc.Shell ?? DEFAULT_SHELL;
      const containerConfig = { ...this.imageConfig(rc), Cmd: [...shell, `#(nop) ${comment}`] };
      if (this.probeCache(state, containerConfig)) return;
      const destPath = dest.startsWith('/') ? dest : `${rc.WorkingDir ?? '/'}/${dest}`;
      this.writeLayer(state, infos, destPath, dest.endsWith('/') || dest.endsWith('/.'), chown, containerConfig);
    } finally {
      release?.();
    }
  }

  /**
   * What one source is: its entries relative to it and its checksum (`file:`/`dir:` + sha256); with
   * `decompress` (ADD), a file that is a tar archive gives its members instead.
   */
  private copyInfo(source: Source, path: string, decompress: boolean): CopyInfo {
    const prefix = path === '.' ? '' : `${path}/`;
    const top = path === '.' ? undefined : source.get(path);
    if (top && top.type !== 'dir') {
      const info: CopyInfo = { path, hash: `file:${fileHash(top)}`, entries: [{ ...top, path: `/${path.split('/').at(-1)}` }], isDir: false };
      const bytes = decompress && top.type === 'file' ? new TextEncoder().encode(top.data ?? '') : undefined;
      if (bytes && isTarArchive(bytes)) {
        try {
          info.archive = readTar(bytes);
        } catch (error) {
          if (error instanceof TarError) throw new BuildError(error.message);
          throw error;
        }
      }
      return info;
    }
    const entries: TarEntry[] = [];
    const hashes: string[] = [];
    for (const [p, e] of [...source.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!p.startsWith(prefix) || p === path) continue;
      entries.push({ ...e, path: `/${p.slice(prefix.length)}` });
      hashes.push(`${p.slice(prefix.length)}:${fileHash(e)}`);
    }
    return { path, hash: `dir:${sha256Digest(hashes.join('\n')).slice(7)}`, entries, isDir: true };
  }

  /** The files of image `id` (a stage's or a pulled one), read through a temporary mount. */
  private imageSource(id: Digest | undefined): { source: Source; release: () => void } {
    const source: Source = new Map();
    if (!id) return { source, release: () => undefined };
    const image = this.daemon.images.get(id);
    const name = `build-src-${++this.scratchCount}-${id.slice(7, 19)}`;
    const rw = this.daemon.layers.createRWLayer(name, image.chainIds.at(-1));
    const root = this.daemon.driver.get(rw.mountID);
    for (const e of diff(this.vfs, root)) source.set(cleanPath(e.path), e);
    return {
      source,
      release: () => {
        this.daemon.driver.put(rw.mountID);
        this.daemon.layers.releaseRWLayer(name);
      },
    };
  }

  /** performCopy: the sources written into a writable layer on the image, exported as the step's image. */
  private writeLayer(state: DispatchState, infos: CopyInfo[], dest: string, destIsDir: boolean, chown: string | undefined, containerConfig: ImageContainerConfig): void {
    const parent = state.imageId ? this.daemon.images.get(state.imageId) : undefined;
    const name = `build-${++this.scratchCount}-${parent?.id.slice(7, 19) ?? 'scratch'}`;
    const rw = this.daemon.layers.createRWLayer(name, parent?.chainIds.at(-1));
    const root = this.daemon.driver.get(rw.mountID);
    let entries: TarEntry[];
    try {
      const owner = chown ? this.resolveChown(root, chown) : { uid: 0, gid: 0 };
      const target = `/${cleanPath(dest)}`.replace(/^\/\.$/, '/');
      const out: TarEntry[] = [];
      for (const info of infos) {
        let base = target;
        if (info.archive) {
          // archiver.UntarPath: the destination is a directory, trailing slash or not.
          this.vfs.mkdirAll(`${root}${target}`, 0o755);
          base = target === '/' ? '' : target;
          for (const e of info.archive) out.push({ ...e, path: `${base}${e.path}` });
          continue;
        }
        if (!info.isDir) {
          let existsAsDir = false;
          try {
            existsAsDir = (this.vfs.stat(`${root}${target}`).mode & 0o170000) === 0o040000;
          } catch {
            existsAsDir = false;
          }
          const file = info.entries[0]!;
          const at = destIsDir || existsAsDir ? `${target === '/' ? '' : target}${file.path}` : target;
          out.push({ ...file, path: at, ...owner });
          continue;
        }
        if (target !== '/') out.push({ path: target, type: 'dir', mode: 0o755, mtime: 0, ...owner });
        base = target === '/' ? '' : target;
        for (const e of info.entries) out.push({ ...e, path: `${base}${e.path}`, ...owner });
      }
      for (const e of out) {
        const parentDir = e.path.slice(0, e.path.lastIndexOf('/'));
        if (parentDir) this.vfs.mkdirAll(`${root}${parentDir}`, 0o755);
      }
      apply(this.vfs, root, out.map((e) => (e.type === 'dir' && existsDir(this.vfs, `${root}${e.path}`) ? { ...e, mode: this.vfs.stat(`${root}${e.path}`).mode & 0o7777 } : e)));
      entries = this.daemon.driver.diff(rw.mountID);
    } finally {
      this.daemon.driver.put(rw.mountID);
      this.daemon.layers.releaseRWLayer(name);
    }
    state.imageId = this.daemon.images.buildStep(parent, entries, this.imageConfig(state.runConfig), containerConfig, state.maintainer);
  }

  /** `--chown=user[:group]`: names looked up in the image's /etc/passwd and /etc/group. */
  private resolveChown(root: string, chown: string): { uid: number; gid: number } {
    const [user, group] = chown.split(':') as [string, string | undefined];
    const lookup = (file: string, name: string, field: number): number | undefined => {
      if (/^\d+$/.test(name)) return Number(name);
      let text: string;
      try {
        text = this.vfs.readFile(`${root}${file}`);
      } catch {
        text = '';
      }
      const line = text.split('\n').find((l) => l.split(':')[0] === name);
      return line === undefined ? undefined : Number(line.split(':')[field]);
    };
    const uid = lookup('/etc/passwd', user, 2);
    if (uid === undefined) throw new BuildError(`unable to convert uid/gid chown string to host mapping: can't find uid for user ${user}: no such user: ${user}`);
    let gid: number | undefined;
    if (group !== undefined) {
      gid = lookup('/etc/group', group, 2);
      if (gid === undefined) throw new BuildError(`unable to convert uid/gid chown string to host mapping: can't find gid for group ${group}: no such group: ${group}`);
    } else gid = /^\d+$/.test(user) ? uid : (lookup('/etc/passwd', user, 3) ?? uid);
    return { uid, gid };
  }
}

function existsDir(vfs: Vfs, path: string): boolean {
  try {
    return (vfs.stat(path).mode & 0o170000) === 0o040000;
  } catch {
    return false;
  }
}

/** The checksum of one member: its header fields that tarsum hashes, and its content. */
function fileHash(e: TarEntry): string {
  return sha256Digest(`${e.type}\0${e.mode.toString(8)}\0${e.uid}\0${e.gid}\0${e.linkname ?? ''}\0${e.data ?? ''}`).slice(7);
}

/** filepath.Match of a cleaned pattern against a context path. */
function globMatch(pattern: string, path: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) return false;
      re += `[${pattern.slice(i + 1, close).replace(/^\^/, '\\^').replace(/^!/, '^')}]`;
      i = close;
    } else if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else re += c.replace(/[.+()|{}^$/]/g, '\\$&');
  }
  return new RegExp(`${re}$`).test(path);
}

/** HEALTHCHECK's commit text: Go's %q of the *HealthConfig. */
function healthText(h: HealthConfig): string {
  return `&{${goQuoteList(h.Test)} ${goQuote(goDuration(h.Interval ?? 0))} ${goQuote(goDuration(h.Timeout ?? 0))} ${goQuote(goDuration(h.StartPeriod ?? 0))} ${goQuote(goDuration(h.StartInterval ?? 0))} '\\x${(h.Retries ?? 0).toString(16).padStart(2, '0')}'}`;
}
