import { describe, expect, it } from 'vitest';
import { advance, settle } from '../../runtime/dockerd/testing.ts';
import { bootCriNode, podSandboxConfig } from '../../runtime/cri/testing.ts';
import { parseCriLog } from '../../runtime/cri/criLog.ts';
import { ContainerLogManager, rotationTimestamp } from './containerLogManager.ts';

describe('ContainerLogManager', () => {
  it('formats the rotation suffix as Go\'s 20060102-150405', () => {
    expect(rotationTimestamp(Date.UTC(2026, 0, 2, 3, 4, 5, 600))).toBe('20260102-030405');
  });

  it('rotates a log over the max size, keeps max files, and the runtime writes a fresh current file', async () => {
    const { cri, clock, host } = bootCriNode();
    await settle(clock, cri.pullImage({ image: 'busybox' }));
    const { podSandboxId } = await settle(clock, cri.runPodSandbox({ config: podSandboxConfig('web', 'uid-1') }));
    const config = {
      metadata: { name: 'app', attempt: 0 },
      image: { image: 'docker.io/library/busybox:latest' },
      command: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo "line $i 0123456789012345678901234567890123456789"; sleep 1; done'],
      logPath: 'app/0.log',
      labels: { 'io.kubernetes.container.name': 'app', 'io.kubernetes.pod.uid': 'uid-1' },
    };
    const { containerId } = await settle(clock, cri.createContainer({ podSandboxId, config, sandboxConfig: podSandboxConfig('web', 'uid-1') }));
    await settle(clock, cri.startContainer(containerId));
    const vfs = host.vfsFor(host.init);
    const dir = '/var/log/pods/default_web_uid-1/app';
    const manager = new ContainerLogManager({ cri, vfs, clock, maxSize: 200, maxFiles: 3 });
    manager.start();
    const rotations: string[] = [];
    for (let i = 0; i < 10; i++) {
      await advance(clock, 10_000);
      rotations.push(rotationTimestamp(clock.now()));
    }
    manager.stop();
    const names = vfs.readdir(dir).map((e) => e.name).sort();
    // Past 200 bytes the log is rotated; with maxFiles 3 the current file and the two newest rotated ones stay.
    expect(names.length).toBe(3);
    expect(names[0]).toBe('0.log');
    for (const n of names.slice(1)) expect(rotations.map((t) => `0.log.${t}`)).toContain(n);
    const current = parseCriLog(vfs.readFile(`${dir}/0.log`)).map((r) => r.text);
    const last = parseCriLog(vfs.readFile(`${dir}/${names[2]!}`)).map((r) => r.text);
    expect(Number(/line (\d+)/.exec(current[0] ?? '')?.[1])).toBe(Number(/line (\d+)/.exec(last[last.length - 1] ?? '')?.[1]) + 1);
  });
});
