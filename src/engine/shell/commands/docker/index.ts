/**
 * docker — the Docker 27 CLI for the lab's shell: a client of the Docker Engine API (runtime/dockerd's
 * EngineAPI) with docker's command tree, flags, help texts, table and template output, pull progress
 * and errors. On an emulated host it talks to that host's dockerd; on the laptop, to the daemon the lab
 * registers with `registerDockerResolver` (see client.ts for what the lab must provide).
 *
 * Left out: interactive `run -it`/`exec -it`/`attach` (stdin and ttys), `build`, `push`, `login`,
 * `save`/`load`, `cp`, `diff`, `port`, `pause`/`unpause`, `rename`, `update`, `events`, prune commands,
 * `compose`, `buildx`, contexts, and the terminal form of pull progress.
 */
export { docker } from './docker.ts';
export { dockerClientFor, registerDockerResolver, type DockerClient, type DockerResolver } from './client.ts';
