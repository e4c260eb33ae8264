/**
 * ShimProgram — the `containerd-shim-runc-v2` binary. Run by containerd as `containerd-shim-runc-v2
 * -namespace <ns> -id <id> -address /run/containerd/containerd.sock start` in the bundle directory, it
 * starts the long-lived shim in a process group of its own (the same binary without `start`, with
 * GOMAXPROCS=4 and OTEL_SERVICE_NAME=containerd-shim-<id> added to its environment), prints the shim's
 * socket address (written to the bundle's `address` file too) and exits: containerd reaps it, and the
 * orphaned shim's parent becomes the host's init. The long-lived shim makes a Shim service and connects it to `ShimRegistry` under its namespace and
 * id, which stands for the ttrpc socket containerd dials.
 */
import type { Host } from '../../kernel/host.ts';
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import { Shim } from './shim.ts';

/** Where containerd's shims live: one service per namespace/id, dialled by containerd. */
export class ShimRegistry {
  private readonly shims = new Map<string, Shim>();

  /** The shim of container `id` in `namespace`, if it is running. */
  get(namespace: string, id: string): Shim | undefined {
    const shim = this.shims.get(`${namespace}/${id}`);
    return shim && !shim.process.exitState ? shim : undefined;
  }

  /** A shim announces itself (its socket is listening). */
  connect(shim: Shim): void {
    this.shims.set(`${shim.namespace}/${shim.id}`, shim);
  }

  /** Forget a shim (after shutdown). */
  disconnect(shim: Shim): void {
    if (this.shims.get(`${shim.namespace}/${shim.id}`) === shim) this.shims.delete(`${shim.namespace}/${shim.id}`);
  }
}

/** The socket address a shim prints: unix:///run/containerd/s/<sha256 of the bundle path>, shortened. */
export function shimAddress(namespace: string, id: string): string {
  let h = 0x811c9dc5;
  for (const c of `${namespace}/${id}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return `unix:///run/containerd/s/${h.toString(16).padStart(8, '0').repeat(8)}`;
}

function flagValue(argv: readonly string[], name: string): string {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] ?? '' : '';
}

export class ShimProgram implements Program {
  constructor(
    private readonly host: Host,
    private readonly registry: ShimRegistry,
    /** runc's --systemd-cgroup for the shims this binary starts. */
    private readonly systemdCgroup: () => boolean,
  ) {}

  start(sys: ProgramContext): void {
    const argv = sys.process.argv;
    const namespace = flagValue(argv, '-namespace');
    const id = flagValue(argv, '-id');
    if (argv[argv.length - 1] === 'start') {
      const daemonArgv = argv.slice(0, -1);
      const exe = sys.process.exe;
      const env = [...sys.process.environ, 'GOMAXPROCS=4', `OTEL_SERVICE_NAME=containerd-shim-${id}`];
      const child = sys.clone({ program: { start: (s) => s.execve(exe, daemonArgv, env, new ShimProgram(this.host, this.registry, this.systemdCgroup)) } });
      this.host.table.setpgid(child, 0, 0);
      const address = shimAddress(namespace, id);
      this.host.vfsFor(sys.process).writeFile(`${sys.process.cwd}/address`, address);
      sys.process.stdio.stdout.write(address);
      sys.exit(0);
      return;
    }
    const shim = new Shim({ host: this.host, sys, namespace, id, bundle: sys.process.cwd, systemdCgroup: this.systemdCgroup() });
    this.registry.connect(shim);
  }
}
