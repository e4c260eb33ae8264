/**
 * The image config (OCI image-spec config.md, with Docker's Healthcheck extension): what a container of
 * the image runs by default, its rootfs (the diff IDs of its layers, bottom first) and its history.
 *
 * Byte form hashed into the image ID: `marshal` (Go encoding/json) with the top-level keys sorted (BuildKit
 * re-marshals the config through a map, so registries serve them sorted: architecture, config, created,
 * history, os, rootfs, variant), `config` in the OCI ImageConfig struct's order followed by Docker's
 * extension (User, ExposedPorts, Env, Entrypoint, Cmd, Volumes, WorkingDir, Labels, StopSignal,
 * ArgsEscaped, Healthcheck, OnBuild, Shell), history entries in the OCI History order (created, created_by,
 * author, comment, empty_layer), rootfs as type, diff_ids. Empty fields are omitted; maps are sorted.
 */
import { marshal, sortedMap } from './marshal.ts';
import type { Digest } from './digest.ts';

/** Docker's HEALTHCHECK; durations in nanoseconds, as Go's time.Duration marshals. */
export interface HealthConfig {
  /** `["NONE"]`, `["CMD", args…]` or `["CMD-SHELL", command]`. */
  Test: string[];
  /** Time between checks. */
  Interval?: number;
  /** Time a check may take. */
  Timeout?: number;
  /** Grace period before failures count. */
  StartPeriod?: number;
  /** Time between checks during the start period. */
  StartInterval?: number;
  /** Consecutive failures before unhealthy. */
  Retries?: number;
}

/** The execution defaults of an image (`config` in the image config). */
export interface ContainerConfig {
  /** `user`, `uid`, `user:group` or `uid:gid`. */
  User?: string;
  /** `"80/tcp": {}` per exposed port. */
  ExposedPorts?: Record<string, Record<string, never>>;
  /** `NAME=value` entries. */
  Env?: string[];
  /** The entrypoint argv. */
  Entrypoint?: string[];
  /** The default arguments (or command when there is no entrypoint). */
  Cmd?: string[];
  /** `"/data": {}` per declared volume. */
  Volumes?: Record<string, Record<string, never>>;
  /** The working directory. */
  WorkingDir?: string;
  /** Image labels. */
  Labels?: Record<string, string>;
  /** The signal that stops the container (`SIGQUIT` for nginx). */
  StopSignal?: string;
  /** Whether Cmd is already escaped (Windows). */
  ArgsEscaped?: boolean;
  /** Docker's HEALTHCHECK. */
  Healthcheck?: HealthConfig;
  /** ONBUILD triggers. */
  OnBuild?: string[];
  /** SHELL for RUN. */
  Shell?: string[];
}

/** One step of how the image was built. */
export interface History {
  /** RFC 3339 time of the step. */
  created?: string;
  /** The instruction, e.g. `CMD ["nginx" "-g" "daemon off;"]` or `RUN /bin/sh -c … # buildkit`. */
  created_by?: string;
  /** Author of the step. */
  author?: string;
  /** A comment, e.g. `buildkit.dockerfile.v0`. */
  comment?: string;
  /** True when the step made no layer (ENV, CMD, EXPOSE…). */
  empty_layer?: boolean;
}

/** The image config (its JSON document). */
export interface ImageConfig {
  /** GOARCH of the image's binaries. */
  architecture: string;
  /** CPU variant (`v8` for arm64). */
  variant?: string;
  /** GOOS. */
  os: string;
  /** RFC 3339 creation time. */
  created?: string;
  /** Execution defaults. */
  config: ContainerConfig;
  /** The layers' diff IDs, bottom first. */
  rootfs: { type: 'layers'; diff_ids: Digest[] };
  /** Build steps, one per instruction. */
  history?: History[];
}

/** The byte form of an image config (see the module comment). */
export function marshalImageConfig(image: ImageConfig): string {
  const c = image.config;
  const config = {
    ...(c.User ? { User: c.User } : {}),
    ...(c.ExposedPorts && Object.keys(c.ExposedPorts).length ? { ExposedPorts: sortedMap(c.ExposedPorts) } : {}),
    ...(c.Env?.length ? { Env: c.Env } : {}),
    ...(c.Entrypoint?.length ? { Entrypoint: c.Entrypoint } : {}),
    ...(c.Cmd?.length ? { Cmd: c.Cmd } : {}),
    ...(c.Volumes && Object.keys(c.Volumes).length ? { Volumes: sortedMap(c.Volumes) } : {}),
    ...(c.WorkingDir ? { WorkingDir: c.WorkingDir } : {}),
    ...(c.Labels && Object.keys(c.Labels).length ? { Labels: sortedMap(c.Labels) } : {}),
    ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
    ...(c.ArgsEscaped ? { ArgsEscaped: true } : {}),
    ...(c.Healthcheck ? { Healthcheck: orderHealthcheck(c.Healthcheck) } : {}),
    ...(c.OnBuild?.length ? { OnBuild: c.OnBuild } : {}),
    ...(c.Shell?.length ? { Shell: c.Shell } : {}),
  };
  return marshal({
    architecture: image.architecture,
    config,
    ...(image.created ? { created: image.created } : {}),
    ...(image.history?.length ? { history: image.history.map(orderHistory) } : {}),
    os: image.os,
    rootfs: { type: image.rootfs.type, diff_ids: image.rootfs.diff_ids },
    ...(image.variant ? { variant: image.variant } : {}),
  });
}

function orderHealthcheck(h: HealthConfig): HealthConfig {
  return {
    Test: h.Test,
    ...(h.Interval ? { Interval: h.Interval } : {}),
    ...(h.Timeout ? { Timeout: h.Timeout } : {}),
    ...(h.StartPeriod ? { StartPeriod: h.StartPeriod } : {}),
    ...(h.StartInterval ? { StartInterval: h.StartInterval } : {}),
    ...(h.Retries ? { Retries: h.Retries } : {}),
  };
}

function orderHistory(h: History): History {
  return {
    ...(h.created ? { created: h.created } : {}),
    ...(h.created_by ? { created_by: h.created_by } : {}),
    ...(h.author ? { author: h.author } : {}),
    ...(h.comment ? { comment: h.comment } : {}),
    ...(h.empty_layer ? { empty_layer: true } : {}),
  };
}
