/**
 * ShimSockets and SandboxShimProgram — how a sandboxed runtime's shim binary starts and how containerd
 * reaches it. Run by containerd as `<shim> -namespace <ns> -id <id> -address
 * /run/containerd/containerd.sock start` in the bundle directory, the binary starts the long-lived shim as
 * a new session (the same binary without `start`), prints its socket address (also written to the
 * bundle's `address` file) and exits, so the shim's parent becomes the node's init. The long-lived shim
 * makes its task service and listens on ShimSockets, which stands for the ttrpc sockets containerd dials:
 * it is the runtime containerd registers under the runtime's name.
 */
import type { Host } from '../../kernel/host.ts';
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import type { RuntimeV2, TaskService } from '../containerd/taskService.ts';
import { shimAddress } from '../shim/shimProgram.ts';
import type { SandboxShim, SandboxShimOptions } from './sandboxShim.ts';

/** The listening shims of one runtime, by namespace and container id. */
export class ShimSockets implements RuntimeV2 {
  private readonly shims = new Map<string, SandboxShim>();

  /** The shim of container `id` in `namespace`, while its process runs. */
  connect(namespace: string, id: string): SandboxShim | undefined {
    const shim = this.shims.get(`${namespace}/${id}`);
    return shim && !shim.process.exitState ? shim : undefined;
  }

  /** Forget a shim that has shut down. */
  disconnect(service: TaskService): void {
    const key = `${service.namespace}/${service.id}`;
    if (this.shims.get(key) === service) this.shims.delete(key);
  }

  /** A shim is listening. */
  listen(shim: SandboxShim): void {
    this.shims.set(`${shim.namespace}/${shim.id}`, shim);
  }
}

export class SandboxShimProgram implements Program {
  constructor(
    private readonly host: Host,
    private readonly sockets: ShimSockets,
    /** Makes the long-lived shim's task service. */
    private readonly make: (options: SandboxShimOptions) => SandboxShim,
  ) {}

  start(sys: ProgramContext): void {
    const argv = sys.process.argv;
    const flag = (name: string) => {
      const at = argv.indexOf(name);
      return at >= 0 ? argv[at + 1] ?? '' : '';
    };
    const namespace = flag('-namespace');
    const id = flag('-id');
    if (argv[argv.length - 1] === 'start') {
      const daemonArgv = argv.slice(0, -1);
      const exe = sys.process.exe;
      const env = sys.process.environ;
      const child = sys.clone({ program: { start: (s) => s.execve(exe, daemonArgv, env, new SandboxShimProgram(this.host, this.sockets, this.make)) } });
      this.host.table.setsid(child);
      const address = shimAddress(namespace, id);
      this.host.vfsFor(sys.process).writeFile(`${sys.process.cwd}/address`, address);
      sys.process.stdio.stdout.write(address);
      sys.exit(0);
      return;
    }
    this.sockets.listen(this.make({ host: this.host, sys, namespace, id, bundle: sys.process.cwd }));
  }
}
