import { describe, expect, it } from 'vitest';
import { advance, settle } from '../../runtime/dockerd/testing.ts';
import { bootCriNode, podSandboxConfig } from '../../runtime/cri/testing.ts';
import type { ContainerConfig } from '../../runtime/cri/types.ts';
import { ContainerGC } from './containerGC.ts';

function config(name: string, uid: string, attempt: number, command: string[]): ContainerConfig {
  return {
    metadata: { name, attempt },
    image: { image: 'docker.io/library/busybox:latest' },
    command,
    logPath: `${name}/${attempt}.log`,
    labels: { 'io.kubernetes.container.name': name, 'io.kubernetes.pod.name': uid, 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': uid },
  };
}

describe('ContainerGC', () => {
  it('keeps the newest dead container per container and removes everything of a deleted pod', async () => {
    const node = bootCriNode();
    const { cri, clock, host } = node;
    await settle(clock, cri.pullImage({ image: 'busybox' }));
    const run = async (uid: string, sandboxId: string, attempt: number, command: string[]) => {
      const sandboxConfig = podSandboxConfig(uid, uid);
      const { containerId } = await settle(clock, cri.createContainer({ podSandboxId: sandboxId, config: config('app', uid, attempt, command), sandboxConfig }));
      await settle(clock, cri.startContainer(containerId));
      await advance(clock, 1000);
      return containerId;
    };
    const live = (await settle(clock, cri.runPodSandbox({ config: podSandboxConfig('live', 'live') }))).podSandboxId;
    const gone = (await settle(clock, cri.runPodSandbox({ config: podSandboxConfig('gone', 'gone') }))).podSandboxId;
    const dead = [await run('live', live, 0, ['false']), await run('live', live, 1, ['false']), await run('live', live, 2, ['false'])];
    const running = await run('live', live, 3, ['sleep', '3600']);
    await run('gone', gone, 0, ['true']);
    await settle(clock, cri.stopPodSandbox(gone));
    const vfs = host.vfsFor(host.init);
    expect(vfs.readdir('/var/log/pods/default_live_live/app').map((e) => e.name).sort()).toEqual(['0.log', '1.log', '2.log', '3.log']);
    const gc = new ContainerGC(cri, vfs, clock, { shouldPodContentBeRemoved: (uid) => uid === 'gone', shouldPodRuntimeBeRemoved: (uid) => uid === 'gone' });
    await settle(clock, gc.garbageCollect());
    const ids = (await cri.listContainers()).containers.map((c) => c.id).sort();
    expect(ids).toEqual([dead[2]!, running].sort());
    expect((await cri.listPodSandbox()).items.map((s) => s.id)).toEqual([live]);
    expect(vfs.readdir('/var/log/pods').map((e) => e.name)).toEqual(['default_live_live']);
    expect(vfs.readdir('/var/log/pods/default_live_live/app').map((e) => e.name).sort()).toEqual(['2.log', '3.log']);
  });
});
