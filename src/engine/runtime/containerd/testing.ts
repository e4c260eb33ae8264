/**
 * Helpers for tests of containerd, the shim and runc: a booted node with containerd installed and a
 * small `busybox` program standing for the catalogue image's /bin/busybox (applets sleep, echo, hostname,
 * id, false), and a pulled busybox image in a namespace.
 */
import { Clock } from '../../base/clock.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { Host, type HostOptions } from '../../kernel/host.ts';
import type { ProgramContext } from '../../kernel/process/program.ts';
import type { Sink } from '../../kernel/process/stdio.ts';
import { createRegistries } from '../registry/catalogue/index.ts';
import { Containerd } from './containerd.ts';

/** What `bootNode` returns. */
export interface TestNode {
  clock: Clock;
  host: Host;
  containerd: Containerd;
}

/** The test stand-in for busybox: its applet is argv[0]'s base name (or argv[1] after `busybox`). */
function busybox(sys: ProgramContext): void {
  const argv = sys.process.argv;
  let args = [...argv];
  let applet = args[0]!.slice(args[0]!.lastIndexOf('/') + 1);
  if (applet === 'busybox') {
    args = args.slice(1);
    applet = args[0] ?? '';
  }
  const out = (text: string) => sys.process.stdio.stdout.write(text);
  switch (applet) {
    case 'sleep':
      sys.setRunState('S');
      if (args[1] !== 'infinity') sys.after(Number(args[1] ?? '0') * 1000, () => sys.exit(0));
      return;
    case 'echo':
      out(`${args.slice(1).join(' ')}\n`);
      sys.exit(0);
      return;
    case 'hostname':
      out(`${sys.process.nsproxy!.uts.hostname}\n`);
      sys.exit(0);
      return;
    case 'id':
      out(`uid=${sys.process.cred.uid} gid=${sys.process.cred.gid}\n`);
      sys.exit(0);
      return;
    default:
      sys.process.stdio.stderr.write(`${applet}: applet not found\n`);
      sys.exit(127);
  }
}

/** A node (cgroup v2 unless told) with containerd started. */
export function bootNode(options: Partial<HostOptions> & { cgroupDriver?: 'cgroupfs' | 'systemd' } = {}): TestNode {
  const clock = new Clock({ startTime: Date.UTC(2026, 0, 1, 0, 0, 30) });
  const host = new Host({ clock, rng: new SeededRng(7), hostname: 'node-1', cpus: 2, memoryBytes: 4 * 1024 ** 3, cgroupVersion: 2, bootTime: Date.UTC(2026, 0, 1), ...options });
  host.programs.register('busybox', () => ({ start: busybox }));
  const containerd = new Containerd({ host, registries: createRegistries(), rng: new SeededRng(11), cgroupDriver: options.cgroupDriver });
  return { clock, host, containerd };
}

/** Pull `ref` into `namespace`, running the clock until the pull settles. */
export async function pull(node: TestNode, namespace: string, ref: string): Promise<string> {
  const pending = node.containerd.pull(namespace, ref);
  node.clock.advance(120_000);
  return (await pending).name;
}

/** A sink that keeps what it is given. */
export function collector(): Sink & { text: string } {
  const sink = { text: '', write: (t: string) => void (sink.text += t) };
  return sink;
}

/** Let pending promise callbacks (pipe copies) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
