import { describe, expect, it } from 'vitest';
import { DaemonError } from './daemonError.ts';
import { advance, bootDockerHost, settle } from './testing.ts';

async function withImage(ref: string) {
  const node = bootDockerHost();
  await settle(node.clock, node.dockerd.imagePull(ref));
  return node;
}

describe('Dockerd', () => {
  it('runs nginx: a running task, its pid on the host, GraphDriver dirs that exist, the start lines in the log', async () => {
    const { dockerd, clock, host } = await withImage('nginx');
    const { Id } = dockerd.containerCreate({ name: 'web', config: { Image: 'nginx', Entrypoint: ['nginx'], Cmd: ['-g', 'daemon off;'] } });
    expect(Id).toMatch(/^[0-9a-f]{64}$/);
    dockerd.containerStart('web');
    await advance(clock, 2000);
    const inspect = dockerd.containerInspect('web');
    expect(inspect.State.Status).toBe('running');
    expect(inspect.Name).toBe('/web');
    const init = host.table.find(inspect.State.Pid)!;
    expect(init.argv.join(' ')).toBe('nginx: master process nginx -g daemon off;');
    const vfs = host.vfsFor(host.init);
    for (const dir of ['MergedDir', 'UpperDir', 'WorkDir'] as const) expect(() => vfs.stat(inspect.GraphDriver.Data[dir]!)).not.toThrow();
    for (const lower of inspect.GraphDriver.Data['LowerDir']!.split(':')) expect(() => vfs.stat(lower)).not.toThrow();
    const log = vfs.readFile(inspect.LogPath);
    expect(log).toContain('"stream":"stderr"');
    expect(log).toMatch(/start worker processes/);
    expect(vfs.readFile(`/var/lib/docker/containers/${Id}/hostname`)).toBe(`${Id.slice(0, 12)}\n`);
  });

  it('refuses a second container of the same name, as the daemon words it', async () => {
    const { dockerd } = await withImage('busybox');
    const { Id } = dockerd.containerCreate({ name: 'xx', config: { Image: 'busybox', Cmd: ['sleep', '100'] } });
    expect(() => dockerd.containerCreate({ name: 'xx', config: { Image: 'busybox' } })).toThrow(
      new DaemonError(`Conflict. The container name "/xx" is already in use by container "${Id}". You have to remove (or rename) that container to be able to reuse that name.`, 409),
    );
  });

  it('records an OOM kill in its cgroup as OOMKilled', async () => {
    const { dockerd, clock, host } = await withImage('polinux/stress');
    dockerd.containerCreate({ name: 'hog', config: { Image: 'polinux/stress', Cmd: ['stress', '--vm', '1', '--vm-bytes', '100M'] }, hostConfig: { Memory: 64 * 1024 ** 2 } });
    dockerd.containerStart('hog');
    const code = await settle(clock, dockerd.containerWait('hog'));
    // stress exits 1 when the kernel kills its worker; docker reports the OOM kill it saw in the cgroup.
    expect(code).toBe(1);
    expect(dockerd.containerInspect('hog').State).toMatchObject({ Status: 'exited', OOMKilled: true, ExitCode: 1 });
    expect(host.vfsFor(host.init).readFile(dockerd.containerInspect('hog').LogPath)).toContain('"log":"stress: FAIL: [1] (415) \\u003c-- worker 2 got signal 9\\n","stream":"stderr"');
  });

  it('stops a container that ignores SIGTERM after 10 s with SIGKILL', async () => {
    const { dockerd, clock } = await withImage('busybox');
    dockerd.containerCreate({ name: 'ss', config: { Image: 'busybox', Cmd: ['sleep', '1000'] } });
    dockerd.containerStart('ss');
    const start = clock.now();
    await settle(clock, dockerd.containerStop('ss'));
    expect(clock.now() - start).toBeGreaterThanOrEqual(10_000);
    expect(clock.now() - start).toBeLessThan(10_100);
    expect(dockerd.containerInspect('ss').State.ExitCode).toBe(137);
  });

  it('restarts on failure with docker backoff, counting restarts', async () => {
    const { dockerd, clock } = await withImage('busybox');
    dockerd.containerCreate({ name: 'ff', config: { Image: 'busybox', Cmd: ['false'] }, hostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } } });
    dockerd.containerStart('ff');
    await advance(clock, 5_000);
    const inspect = dockerd.containerInspect('ff');
    expect(inspect.RestartCount).toBe(3);
    // 100 ms, 200 ms, 400 ms of backoff between the four runs
    expect(Date.parse(inspect.State.FinishedAt) - Date.parse(inspect.State.StartedAt)).toBeLessThan(100);
    expect(inspect.State).toMatchObject({ Status: 'exited', ExitCode: 1 });
  });

  it('removes an --rm container when it exits', async () => {
    const { dockerd, clock } = await withImage('busybox');
    dockerd.containerCreate({ name: 'ee', config: { Image: 'busybox', Cmd: ['echo', 'hi'] }, hostConfig: { AutoRemove: true } });
    const removed = dockerd.containerWait('ee', 'removed');
    dockerd.containerStart('ee');
    await settle(clock, removed);
    expect(dockerd.find('ee')).toBeUndefined();
  });
});
