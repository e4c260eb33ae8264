/**
 * ImageRecipe — how the catalogue writes an image the way its Dockerfile built it: start FROM a base
 * image (its layers, config and history carried over), then one step per instruction. Steps that change
 * the file system add a layer and a history entry; the others (ENV, LABEL, EXPOSE, CMD…) change the config
 * and add an `empty_layer` history entry, worded as BuildKit words them (`RUN /bin/sh -c … # buildkit`,
 * `EXPOSE map[80/tcp:{}]`, `CMD ["nginx" "-g" "daemon off;"]`).
 */
import { Image, type ManifestFormat } from '../../image/image.ts';
import type { ContainerConfig, HealthConfig, History } from '../../image/imageConfig.ts';
import type { Layer } from '../../image/layer.ts';
import type { Arch } from './rootfs.ts';

const BUILDKIT = 'buildkit.dockerfile.v0';

/** The PATH BuildKit gives a Linux image whose base sets none. */
export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export class ImageRecipe {
  private readonly layers: Layer[] = [];
  private readonly history: History[] = [];
  private config: ContainerConfig = {};

  /** A recipe for `arch`; each step is dated `created` (RFC 3339) unless a step says otherwise. */
  constructor(
    readonly arch: Arch,
    private created: string,
  ) {}

  /** Start FROM `base`: its layers, config and history; BuildKit sets the default PATH when the base has none. */
  from(base: Image): this {
    this.layers.push(...base.layers);
    this.history.push(...(base.spec.history ?? []));
    this.config = structuredClone(base.spec.config);
    if (!this.config.Env?.some((e) => e.startsWith('PATH='))) this.config.Env = [DEFAULT_PATH, ...(this.config.Env ?? [])];
    return this;
  }

  /** Date the following steps. */
  at(created: string): this {
    this.created = created;
    return this;
  }

  /** A step that adds `layer`, recorded as `createdBy` (with an optional history comment). */
  layer(createdBy: string, layer: Layer, comment?: string): this {
    this.layers.push(layer);
    this.history.push({ created: this.created, created_by: createdBy, ...(comment ? { comment } : {}) });
    return this;
  }

  /** `RUN /bin/sh -c <command>`. */
  run(command: string, layer: Layer): this {
    return this.layer(`RUN /bin/sh -c ${command} # buildkit`, layer, BUILDKIT);
  }

  /** `COPY <sources> <dest>`. */
  copy(args: string, layer: Layer): this {
    return this.layer(`COPY ${args} # buildkit`, layer, BUILDKIT);
  }

  /** `ENV key=value`. */
  env(key: string, value: string): this {
    const env = (this.config.Env ?? []).filter((e) => !e.startsWith(`${key}=`));
    this.config.Env = [...env, `${key}=${value}`];
    return this.meta(`ENV ${key}=${value}`);
  }

  /** `LABEL key=value`. */
  label(key: string, value: string): this {
    this.config.Labels = { ...this.config.Labels, [key]: value };
    return this.meta(`LABEL ${key}=${value}`);
  }

  /** `EXPOSE <ports>` (`80/tcp`). */
  expose(...ports: string[]): this {
    for (const p of ports) this.config.ExposedPorts = { ...this.config.ExposedPorts, [p]: {} };
    return this.meta(`EXPOSE map[${ports.map((p) => `${p}:{}`).join(' ')}]`);
  }

  /** `ENTRYPOINT [...]` (resets Cmd, as docker does). */
  entrypoint(...argv: string[]): this {
    this.config.Entrypoint = argv;
    delete this.config.Cmd;
    return this.meta(`ENTRYPOINT ${execForm(argv)}`);
  }

  /** `CMD [...]`. */
  cmd(...argv: string[]): this {
    this.config.Cmd = argv;
    return this.meta(`CMD ${execForm(argv)}`);
  }

  /** `STOPSIGNAL <signal>`. */
  stopSignal(signal: string): this {
    this.config.StopSignal = signal;
    return this.meta(`STOPSIGNAL ${signal}`);
  }

  /** `WORKDIR <dir>` (no layer: BuildKit records it as empty when the directory exists). */
  workdir(dir: string): this {
    this.config.WorkingDir = dir;
    return this.meta(`WORKDIR ${dir}`);
  }

  /** `USER <user>`. */
  user(user: string): this {
    this.config.User = user;
    return this.meta(`USER ${user}`);
  }

  /** `VOLUME [<dirs>]`. */
  volume(...dirs: string[]): this {
    for (const d of dirs) this.config.Volumes = { ...this.config.Volumes, [d]: {} };
    return this.meta(`VOLUME [${dirs.join(' ')}]`);
  }

  /** `HEALTHCHECK`, recorded with its Test. */
  healthcheck(health: HealthConfig): this {
    this.config.Healthcheck = health;
    return this.meta(`HEALTHCHECK &{${JSON.stringify(health.Test).replace(/,/g, ' ')}}`);
  }

  /** An instruction that changes nothing recorded but leaves a history entry (`ARG`). */
  note(createdBy: string): this {
    return this.meta(createdBy);
  }

  /** The image. */
  build(format: ManifestFormat = 'oci'): Image {
    return new Image({
      platform: { os: 'linux', architecture: this.arch, ...(this.arch === 'arm64' ? { variant: 'v8' } : {}) },
      layers: [...this.layers],
      config: structuredClone(this.config),
      created: this.created,
      history: [...this.history],
      format,
    });
  }

  private meta(createdBy: string): this {
    this.history.push({ created: this.created, created_by: createdBy, comment: BUILDKIT, empty_layer: true });
    return this;
  }
}

/** Docker's rendering of an exec-form argv in history: `["nginx" "-g" "daemon off;"]`. */
function execForm(argv: string[]): string {
  return `[${argv.map((a) => JSON.stringify(a)).join(' ')}]`;
}

/** A per-architecture factory whose results are cached, so shared layers and images are built once. */
export function perArch<T>(build: (arch: Arch) => T): (arch: Arch) => T {
  const cache = new Map<Arch, T>();
  return (arch) => {
    let value = cache.get(arch);
    if (value === undefined) {
      value = build(arch);
      cache.set(arch, value);
    }
    return value;
  };
}

/** A factory whose result is built on first call and cached. */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}
