/**
 * Test support for dockerd and the docker CLI: a booted node with every program registered, the lab
 * shell installed (so `ps` exists for `docker top`, and the nginx image's entrypoint script runs), the
 * cgroup controllers enabled, containerd with the systemd cgroup driver, and dockerd started.
 */
import { Clock } from '../../base/clock.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { Host } from '../../kernel/host.ts';
import { registerPrograms } from '../../programs/index.ts';
import { installShell } from '../../programs/shell/index.ts';
import { builtinCommands } from '../../shell/commands/index.ts';
import type { HostShell } from '../../shell/host/hostShell.ts';
import { Containerd } from '../containerd/containerd.ts';
import { createRegistries } from '../registry/catalogue/index.ts';
import { Dockerd } from './dockerd.ts';
import { advanceSettled } from '../../base/advance.ts';

/** What `bootDockerHost` returns. */
export interface DockerHost {
  clock: Clock;
  host: Host;
  shell: HostShell;
  containerd: Containerd;
  dockerd: Dockerd;
}

/** A 2-CPU, 4 GiB cgroup v2 Ubuntu host named docker-host with containerd and dockerd running. */
export function bootDockerHost(): DockerHost {
  const clock = new Clock({ startTime: Date.UTC(2026, 0, 1, 9) });
  const host = new Host({ clock, rng: new SeededRng(3), hostname: 'docker-host', cpus: 2, memoryBytes: 4 * 1024 ** 3, cgroupVersion: 2, bootTime: Date.UTC(2026, 0, 1, 8, 59) });
  registerPrograms(host.programs, host);
  const shell = installShell(host, { commands: builtinCommands() });
  host.vfsFor(host.init).writeFile('/sys/fs/cgroup/cgroup.subtree_control', '+cpu +memory +pids +cpuset');
  const registries = createRegistries();
  const containerd = new Containerd({ host, registries, rng: new SeededRng(11), cgroupDriver: 'systemd' });
  const dockerd = new Dockerd({ host, containerd, registries, rng: new SeededRng(17) });
  return { clock, host, shell, containerd, dockerd };
}

/** Let pending promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** Run the clock (letting promises settle between steps) until `promise` settles or `maxMs` pass. */
export async function settle<T>(clock: Clock, promise: Promise<T>, maxMs = 600_000): Promise<T> {
  let done = false;
  let value: T | undefined;
  let failure: unknown;
  let failed = false;
  promise.then(
    (v) => ((done = true), (value = v)),
    (e: unknown) => ((done = true), (failed = true), (failure = e)),
  );
  const end = clock.now() + maxMs;
  await flush();
  while (!done && clock.now() <= end) {
    if (!clock.step()) break;
    await flush();
  }
  if (!done) throw new Error('the promise did not settle');
  if (failed) throw failure;
  return value as T;
}

/** Advance the clock by `ms`, one timer at a time, letting promises settle after each. */
export async function advance(clock: Clock, ms: number): Promise<void> {
  await advanceSettled(clock, ms, flush);
}
