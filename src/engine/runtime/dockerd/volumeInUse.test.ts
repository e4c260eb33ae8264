/**
 * A volume stays in use while a container that mounts it exists, running or stopped, as moby's volume
 * service counts references from container create to container remove.
 */
import { describe, expect, it } from 'vitest';
import { DaemonError } from './daemonError.ts';
import { bootDockerHost, settle } from './testing.ts';

describe('Dockerd volumes in use', () => {
  it('refuses to remove a named volume of a stopped container, and removes it once the container is gone', async () => {
    const { dockerd, clock } = bootDockerHost();
    await settle(clock, dockerd.imagePull('busybox'));
    const { Id } = dockerd.containerCreate({ name: 'keeper', config: { Image: 'busybox', Cmd: ['sleep', '1000'] }, hostConfig: { Binds: ['data:/data'] } });
    dockerd.containerStart('keeper');
    const inUse = new DaemonError(`remove data: volume is in use - [${Id}]`, 409);
    expect(() => dockerd.volumeRemove('data')).toThrow(inUse);
    await settle(clock, dockerd.containerStop('keeper', 0));
    expect(dockerd.containerInspect('keeper').State.Running).toBe(false);
    expect(() => dockerd.volumeRemove('data')).toThrow(inUse);
    await settle(clock, dockerd.containerRemove('keeper'));
    dockerd.volumeRemove('data');
    expect(dockerd.volumeList().map((v) => v.Name)).not.toContain('data');
  });
});
