/**
 * How the docker CLI reaches a daemon. On an emulated host (the command runs as a process there), it is
 * that host's dockerd, as /var/run/docker.sock would lead to it. On the laptop, the lab registers a
 * resolver for its clock (one lab, one clock) that answers with the daemon the laptop's DOCKER_HOST
 * points at (the lab's docker-host, reached as over SSH or TCP); without one, docker cannot connect.
 */
import type { Clock } from '../../../base/clock.ts';
import type { Disposable } from '../../../base/emitter.ts';
import { dockerdOn } from '../../../runtime/dockerd/dockerd.ts';
import type { EngineAPI } from '../../../runtime/dockerd/engineApi.ts';
import type { CommandContext } from '../../command.ts';

/** The daemon API the CLI calls. */
export type DockerClient = EngineAPI;

/** What a lab registers: the daemon for a command run outside any emulated host (undefined: none). */
export type DockerResolver = (ctx: CommandContext) => DockerClient | undefined;

const resolvers = new WeakMap<Clock, DockerResolver>();

/**
 * Register how `docker` on the laptop finds its daemon, for the shells whose commands run on `clock`
 * (the lab's). The lab must register one that returns its docker-host's Dockerd (starting the host
 * lazily, as `Lab.host('docker-host')` does) and honours DOCKER_HOST if it supports several.
 */
export function registerDockerResolver(clock: Clock, resolver: DockerResolver): Disposable {
  resolvers.set(clock, resolver);
  return { dispose: () => void (resolvers.get(clock) === resolver && resolvers.delete(clock)) };
}

/** The daemon `docker` talks to from `ctx`, or undefined when none is reachable. */
export function dockerClientFor(ctx: CommandContext): DockerClient | undefined {
  if (ctx.process) return dockerdOn(ctx.process.host);
  return resolvers.get(ctx.clock)?.(ctx);
}
