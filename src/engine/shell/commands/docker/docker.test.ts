import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../base/seededRng.ts';
import { advance, bootDockerHost } from '../../../runtime/dockerd/testing.ts';
import { dockerHostScripts } from '../../../testing/hostScripts.ts';
import { MemoryFileSystem } from '../../fs.ts';
import { runIn } from '../../host/testing.ts';
import { Session } from '../../session.ts';
import { builtinCommands } from '../index.ts';
import { registerDockerResolver } from './client.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

const lab = dockerHostScripts;

/** nginx as its own entrypoint, for tests that are not about /docker-entrypoint.sh. */
const NGINX = 'docker run -d --name web --entrypoint nginx nginx -g "daemon off;"';

describe('docker', () => {
  it('runs nginx detached, pulling it first, and shows it in ps, top, logs and inspect', async () => {
    const { run, host, clock } = lab();
    const started = await run(NGINX);
    expect(started.status).toBe(0);
    expect(started.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(started.stderr).toMatch(/^Unable to find image 'nginx:latest' locally\nlatest: Pulling from library\/nginx\n/);
    expect(started.stderr).toMatch(/: Pull complete\nDigest: sha256:[0-9a-f]{64}\nStatus: Downloaded newer image for nginx:latest\n$/);
    await advance(clock, 3000);

    const id = started.stdout.slice(0, 12);
    expect((await run('docker ps')).stdout).toBe(
      'CONTAINER ID   IMAGE     COMMAND                  CREATED         STATUS         PORTS     NAMES\n'
      + `${id}   nginx     "nginx -g 'daemon of…"   3 seconds ago   Up 3 seconds   80/tcp    web\n`,
    );

    const pid = Number((await run("docker inspect -f '{{.State.Pid}}' web")).stdout);
    expect(host.table.find(pid)?.argv.join(' ')).toBe('nginx: master process nginx -g daemon off;');

    const top = (await run('docker top web')).stdout.split('\n');
    expect(top[0]).toBe('UID                 PID                 PPID                C                   STIME               TTY                 TIME                CMD');
    expect(top[1]).toMatch(new RegExp(`^root +${pid} +\\d+ +0 +09:00 +\\? +00:00:00 +nginx: master process nginx -g daemon off;$`));
    expect(top.filter((l) => l.endsWith('nginx: worker process'))).toHaveLength(2);

    const logs = await run('docker logs web');
    expect(logs.stdout).toBe('');
    expect(logs.stderr).toMatch(/^2026\/01\/01 09:00:0\d \[notice\] 1#1: using the "epoll" event method\n/);
    expect(logs.stderr).toContain('[notice] 1#1: start worker processes\n');

    const graph = JSON.parse((await run("docker inspect -f '{{json .GraphDriver.Data}}' web")).stdout) as Record<string, string>;
    const vfs = host.vfsFor(host.init);
    for (const dir of [graph['MergedDir']!, graph['UpperDir']!, graph['WorkDir']!, ...graph['LowerDir']!.split(':')]) expect(() => vfs.stat(dir)).not.toThrow();
    expect(vfs.readFile(`${graph['MergedDir']}/etc/nginx/nginx.conf`)).toContain('worker_processes');
  });

  it('runs nginx through the image entrypoint, which execs its arguments as the container init', async () => {
    const { run, host, clock } = lab();
    expect((await run('docker run -d --name web nginx')).status).toBe(0);
    await advance(clock, 1000);
    expect((await run('docker ps --format "{{.Command}} {{.Status}}"')).stdout).toBe('"/docker-entrypoint.…" Up 1 second\n');
    const pid = Number((await run("docker inspect -f '{{.State.Pid}}' web")).stdout);
    expect(host.table.find(pid)?.argv.join(' ')).toBe('nginx: master process nginx -g daemon off;');
    expect((await run('ps -eo args')).stdout).not.toContain('docker-entrypoint.sh');
    const logs = await run('docker logs web');
    // No /proc/net/if_inet6 (the kernel has no IPv6), so the ipv6 script stops early, as on such a host.
    expect(logs.stdout).toBe(
      [
        '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
        '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
        '10-listen-on-ipv6-by-default.sh: info: ipv6 not available',
        '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
        '/docker-entrypoint.sh: Configuration complete; ready for start up',
        '',
      ].join('\n'),
    );
    expect(logs.stderr).toMatch(/^2026\/01\/01 09:00:0\d \[notice\] 1#1: using the "epoll" event method\n/);
    expect(logs.stderr).not.toContain('not found');
  });

  it('leaves the shim under init and no start process under containerd, and nothing once --rm removed the container', async () => {
    const { run, host, containerd } = lab();
    await run(NGINX);
    const shims = () => host.table.list().filter((p) => p.argv[0] === '/usr/bin/containerd-shim-runc-v2');
    const [shim] = shims();
    expect(shim?.parent?.hostPid).toBe(1);
    expect(shim?.pgrp).toBe(shim?.pid);
    expect(shim?.environ).toContain(`OTEL_SERVICE_NAME=containerd-shim-${shim?.argv[4]}`);
    expect([...containerd.process.children].map((p) => p.comm)).toEqual([]);

    expect((await run('docker run --rm busybox echo hi')).stdout).toBe('hi\n');
    expect(host.table.list().filter((p) => p.exitState !== undefined).map((p) => `${p.hostPid} ${p.comm}`)).toEqual([]);
    expect(shims().map((p) => p.hostPid)).toEqual([shim?.hostPid]);
    expect((await run('ps -ef --forest')).stdout).not.toMatch(/\[containerd-shim\]|defunct/);
  });

  it('prints docker inspect as an indented JSON array, and the daemon wording for what is missing', async () => {
    const { run } = lab();
    await run(NGINX);
    const inspect = await run('docker inspect web');
    const [container] = JSON.parse(inspect.stdout) as Array<Record<string, unknown>>;
    expect(inspect.stdout).toMatch(/^\[\n {4}\{\n {8}"Id": "[0-9a-f]{64}",\n {8}"Created": /);
    expect(container).toMatchObject({ Name: '/web', Driver: 'overlay2', State: { Status: 'running', OOMKilled: false }, HostConfig: { NetworkMode: 'bridge', LogConfig: { Type: 'json-file' } } });
    expect(await run('docker inspect nosuch')).toEqual({ stdout: '[]\n', stderr: 'Error: No such object: nosuch\n', status: 1 });
    expect(await run('docker logs nosuch')).toEqual({ stdout: '', stderr: 'Error response from daemon: No such container: nosuch\n', status: 1 });
  });

  it('runs busybox echo attached with --rm: the output, then no container', async () => {
    const { run } = lab();
    const result = await run('docker run --rm busybox echo hi');
    expect(result.stdout).toBe('hi\n');
    expect(result.status).toBe(0);
    expect((await run('docker ps -a -q')).stdout).toBe('');
  });

  it('returns the container exit code of an attached run', async () => {
    const { run } = lab();
    await run('docker pull -q busybox');
    expect((await run('docker run --name fails busybox sh -c "exit 3"')).status).toBe(3);
    expect((await run("docker ps -a --format '{{.Names}} {{.Status}}'")).stdout).toBe('fails Exited (3) Less than a second ago\n');
  });

  it('runs what the image has no entrypoint for as the command, as runc reports it', async () => {
    const { run } = lab();
    const result = await run('docker run --memory 64m polinux/stress --vm 1 --vm-bytes 100M');
    expect(result.stderr).toMatch(
      /\ndocker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "--vm": executable file not found in \$PATH: unknown\.\n$/,
    );
    expect(result.status).toBe(127);
  });

  it('kills a container over its memory limit: OOMKilled in inspect', async () => {
    const { run } = lab();
    const result = await run('docker run --name hog --memory 64m polinux/stress stress --vm 1 --vm-bytes 100M');
    expect(result.stderr).toContain('stress: FAIL: [1] (415) <-- worker 2 got signal 9\n');
    // stress itself exits 1 when the kernel kills its worker; docker records the cgroup's OOM kill.
    expect(result.status).toBe(1);
    expect((await run("docker inspect -f '{{.State.OOMKilled}} {{.State.ExitCode}} {{.HostConfig.Memory}}' hog")).stdout).toBe('true 1 67108864\n');
  });

  it('stops a container whose init ignores SIGTERM after 10 s with SIGKILL: Exited (137)', async () => {
    const { run, clock } = lab();
    await run('docker run -d --name sleeper busybox sleep 1000');
    const before = clock.now();
    expect((await run('docker stop sleeper')).stdout).toBe('sleeper\n');
    expect(clock.now() - before).toBeGreaterThanOrEqual(10_000);
    expect(clock.now() - before).toBeLessThan(11_000);
    expect((await run("docker ps -a --format '{{.Status}}'")).stdout).toBe('Exited (137) Less than a second ago\n');
  });

  it('refuses a name in use, as docker run reports it', async () => {
    const { run } = lab();
    const first = await run('docker run -d --name web busybox sleep 1000');
    const second = await run('docker run -d --name web busybox sleep 1000');
    expect(second.status).toBe(125);
    expect(second.stderr).toBe(
      `docker: Error response from daemon: Conflict. The container name "/web" is already in use by container "${first.stdout.trim()}". You have to remove (or rename) that container to be able to reuse that name.\nSee 'docker run --help'.\n`,
    );
  });

  it('counts the bytes a container wrote in docker ps -s', async () => {
    const { run } = lab();
    await run(NGINX);
    const before = (await run("docker ps -s --format '{{.Size}}'")).stdout;
    expect(before).toMatch(/^2B \(virtual \d+MB\)\n$/);
    expect((await run('docker exec web sh -c "echo hello > /hello.txt"')).status).toBe(0);
    expect((await run('docker exec web cat /hello.txt')).stdout).toBe('hello\n');
    const table = (await run('docker ps -s')).stdout.split('\n');
    expect(table[0]).toMatch(/NAMES +SIZE$/);
    expect(table[1]).toMatch(/ web +8B \(virtual \d+MB\)$/);
  });

  it('reports a command docker exec cannot find as runc words it, once, with status 127', async () => {
    const { run } = lab();
    await run(NGINX);
    expect(await run('docker exec web nope')).toEqual({
      stdout: '',
      stderr: 'OCI runtime exec failed: exec failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown\n',
      status: 127,
    });
  });

  it('lists images and removes them by docker rmi rules', async () => {
    const { run } = lab();
    await run('docker pull -q busybox');
    await run('docker tag busybox mybox:1');
    const images = (await run('docker images')).stdout.split('\n');
    expect(images[0]).toBe('REPOSITORY   TAG       IMAGE ID       CREATED         SIZE');
    expect(images.slice(1, 3).map((l) => l.split(/\s+/).slice(0, 2).join(':')).sort()).toEqual(['busybox:latest', 'mybox:1']);
    await run('docker create --name user busybox true');
    expect((await run('docker rmi mybox:1')).stdout).toBe('Untagged: mybox:1\n');
    const refused = await run('docker rmi busybox');
    expect(refused.stderr).toMatch(/^Error response from daemon: conflict: unable to remove repository reference "busybox" \(must force\) - container [0-9a-f]{12} is using its referenced image [0-9a-f]{12}\n$/);
    await run('docker rm user');
    const removed = (await run('docker rmi busybox')).stdout;
    expect(removed).toMatch(/^Untagged: busybox:latest\nUntagged: busybox@sha256:[0-9a-f]{64}\nDeleted: sha256:[0-9a-f]{64}\nDeleted: sha256:[0-9a-f]{64}\n$/);
    expect((await run('docker images -q')).stdout).toBe('');
  });

  it('reports an image no registry has', async () => {
    const { run } = lab();
    expect(await run('docker run nosuch')).toEqual({
      stdout: '',
      stderr: "Unable to find image 'nosuch:latest' locally\n"
        + "docker: Error response from daemon: pull access denied for nosuch, repository does not exist or may require 'docker login': denied: requested access to the resource is denied.\n"
        + "See 'docker run --help'.\n",
      status: 125,
    });
  });

  it('follows logs until Ctrl-C', async () => {
    const { shell, clock, run } = lab();
    await run('docker run -d --name ticker busybox sh -c "while true; do echo tick; sleep 1; done"');
    const session = shell.openSession({ id: 'follow', tty: true });
    let out = '';
    session.onDidWrite((c) => (out += c.text));
    session.start();
    session.input('docker logs -f ticker\r');
    await advance(clock, 2500);
    const seen = out.match(/^tick\r$/gm)?.length ?? 0;
    expect(seen).toBeGreaterThanOrEqual(2);
    await advance(clock, 1000);
    expect(out.match(/^tick\r$/gm)).toHaveLength(seen + 1);
    session.input('\x03');
    await advance(clock, 100);
    expect(out).toMatch(/tick\r\n\^C\r\n.*# $/);
  });

  it.each([
    ['docker run', '"docker run" requires at least 1 argument.\nSee \'docker run --help\'.\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nCreate and run a new container from an image\n', 1],
    ['docker ps --bogus', "unknown flag: --bogus\nSee 'docker ps --help'.\n", 125],
    ['docker frobnicate', "docker: 'frobnicate' is not a docker command.\nSee 'docker --help'\n", 1],
    ['docker run --memory 64x busybox', 'invalid argument "64x" for "-m, --memory" flag: invalid size: \'64x\'\nSee \'docker run --help\'.\n', 125],
  ])('reports misuse: %s', async (script, stderr, status) => {
    const { run } = lab();
    const result = await run(script);
    expect(result.stderr).toBe(stderr);
    expect(result.status).toBe(status);
  });

  it('prints its usage in docker\'s layout', async () => {
    const { run } = lab();
    const help = (await run('docker stop --help')).stdout;
    expect(help).toBe(
      '\nUsage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]\n\nStop one or more running containers\n\nAliases:\n  docker container stop, docker stop\n\nOptions:\n'
      + '  -s, --signal string   Signal to send to the container\n  -t, --time int        Seconds to wait before killing the container\n',
    );
  });

  it('manages volumes and networks', async () => {
    const { run, host } = lab();
    expect((await run('docker volume create data')).stdout).toBe('data\n');
    await run('docker run --rm -v data:/data busybox sh -c "echo saved > /data/file"');
    expect(host.vfsFor(host.init).readFile('/var/lib/docker/volumes/data/_data/file')).toBe('saved\n');
    expect((await run('docker volume ls')).stdout).toBe('DRIVER    VOLUME NAME\nlocal     data\n');
    expect((await run('docker network create app')).stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect((await run("docker network ls --format '{{.Name}} {{.Driver}}'")).stdout).toBe('app bridge\nbridge bridge\nhost host\nnone null\n');
    expect((await run('docker network rm bridge')).stderr).toBe('Error response from daemon: bridge is a pre-defined network and cannot be removed\n');
  });

  it('shows the client and server versions', async () => {
    const { run } = lab();
    const version = (await run('docker version')).stdout;
    expect(version).toContain('Client: Docker Engine - Community\n Version:           27.3.1\n API version:       1.47\n');
    expect(version).toContain('\nServer: Docker Engine - Community\n Engine:\n  Version:          27.3.1\n  API version:      1.47 (minimum version 1.24)\n');
    expect(version).toContain(' containerd:\n  Version:          1.7.22\n');
    expect(version).toContain(' runc:\n  Version:          1.1.14\n');
  });

  it('cannot connect on the laptop until the lab registers its daemon', async () => {
    const node = bootDockerHost();
    const laptop = () => new Session({ id: 'laptop', clock: node.clock, rng: new SeededRng(1), commands: builtinCommands(), tty: false, fs: new MemoryFileSystem(node.clock) });
    expect(await runIn(laptop(), node.clock, 'docker ps', tick)).toEqual({
      stdout: '',
      stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
      status: 1,
    });
    const registration = registerDockerResolver(node.clock, () => node.dockerd);
    expect((await runIn(laptop(), node.clock, 'docker ps', tick)).stdout).toBe('CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n');
    registration.dispose();
    expect((await runIn(laptop(), node.clock, 'docker ps', tick)).status).toBe(1);
  });
});
