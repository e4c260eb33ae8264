/**
 * dockerd — Docker Engine 27 (moby) on a node, over containerd 1.7 (namespace `moby`) and runc 1.1:
 * containers with docker's state machine, names, IDs, restart policies, json-file logs, exec, top, stats
 * and commit; the overlay2 graph driver and layer store under /var/lib/docker; images pulled from the
 * offline registry with docker's progress, listed, tagged, inspected and removed with `docker rmi`'s
 * rules; local volumes; bridge, host, none and user-defined network objects; info, version and system df.
 * `dockerdOn(host)` finds a host's daemon, as the CLI's socket would; EngineAPI is what a client calls.
 *
 * Left out: the HTTP API itself, interactive attach (stdin and ttys), pause/unpause/rename/update/cp,
 * port publishing and the network data path (containers get only `lo`), health checks, the events
 * stream, BuildKit (`docker build` builds on `containerCommit`), swarm, plugins and daemon restarts.
 */
export { CONTAINERS_ROOT, Container, State, ZERO_TIME, type ContainerMount } from './container.ts';
export { CONTAINER_INIT_PATH, containerEnv, createSpec, DEFAULT_PATH_ENV, DOCKER_INIT_BINARY, resolveUser, type SpecContext } from './createSpec.ts';
export { DaemonError } from './daemonError.ts';
export { API_VERSION, DOCKER_ROOT, DOCKERD_BINARY, Dockerd, dockerdOn, RUNC_VERSION, type DockerdOptions } from './dockerd.ts';
export type * from './engineApi.ts';
export { DOCKER_VERSION, IMAGE_ROOT, ImageService, type DockerImage, type ImageServiceOptions } from './imageService.ts';
export { JSONFileLogger, matches } from './jsonFileLogger.ts';
export { getRandomName, LEFT, RIGHT } from './namesGenerator.ts';
export { NetworkStore, type Endpoint } from './networkStore.ts';
export { parseRestartPolicy, RestartManager } from './restartManager.ts';
export { VOLUMES_ROOT, VolumeStore } from './volumeStore.ts';
export { bytesSize, fromHumanSize, humanDuration, humanSize, humanSizeWithPrecision, ramInBytes, SizeError } from './units/index.ts';
