/**
 * Helpers for tests of the sandboxed runtimes: a small `busybox` program bound to the kernel it runs on
 * (applets sleep, echo, uname, cat, ls and dmesg, the last reading that kernel's log as syslog(2) does),
 * registered on the node and, through the runtimes' `programs` option, on every sandbox kernel; and `run`,
 * which pulls an image and runs a container under a runtime.
 */
import type { Host } from '../../kernel/host.ts';
import type { ProgramContext } from '../../kernel/process/program.ts';
import type { Task } from '../containerd/task.ts';
import { bootNode, collector, flush, pull, type TestNode } from '../containerd/testing.ts';
import { generateSpec, withImageConfig, type SpecOpts } from '../oci/specOpts.ts';

/** Register the test busybox on `kernel`. */
export function registerBusybox(kernel: Host): void {
  kernel.programs.register('busybox', () => ({ start: (sys: ProgramContext) => busybox(kernel, sys) }));
}

function busybox(kernel: Host, sys: ProgramContext): void {
  let args = [...sys.process.argv];
  let applet = args[0]!.slice(args[0]!.lastIndexOf('/') + 1);
  if (applet === 'busybox') {
    args = args.slice(1);
    applet = args[0] ?? '';
  }
  const out = (text: string) => sys.process.stdio.stdout.write(text);
  const done = (code = 0) => sys.exit(code);
  const uts = () => kernel.uname(sys.process);
  switch (applet) {
    case 'sleep':
      sys.setRunState('S');
      if (args[1] !== 'infinity') sys.after(Number(args[1] ?? '0') * 1000, () => done());
      return;
    case 'echo':
      out(`${args.slice(1).join(' ')}\n`);
      return done();
    case 'uname':
      out(`${args[1] === '-r' ? uts().release : args[1] === '-v' ? uts().version : uts().sysname}\n`);
      return done();
    case 'cat':
      out(kernel.vfsFor(sys.process).readFile(args[1]!));
      return done();
    case 'ls':
      out(kernel.vfsFor(sys.process).readdir(args[1] ?? '.').map((e) => `${e.name}\n`).join(''));
      return done();
    case 'dmesg':
      out(kernel.dmesg());
      return done();
    default:
      sys.process.stdio.stderr.write(`${applet}: applet not found\n`);
      return done(127);
  }
}

/** A node with containerd and the test busybox registered. */
export function bootSandboxNode(): TestNode {
  const node = bootNode();
  registerBusybox(node.host);
  return node;
}

/** Pull `image` and run a container `id` under `runtime` with `opts`; its started task and stdout. */
export async function run(node: TestNode, runtime: string, id: string, image: string, ...opts: SpecOpts[]) {
  const ref = await pull(node, 'default', image);
  const config = node.containerd.image('default', ref).config.config;
  const spec = generateSpec(id, 'default', withImageConfig(config), ...opts);
  node.containerd.createContainer('default', { id, image: ref, spec, runtime });
  const stdout = collector();
  const stderr = collector();
  const task = node.containerd.newTask('default', id, { stdout, stderr });
  return { task, stdout, stderr };
}

/** Run `argv` in the running task `task` and return what it printed. */
export async function execIn(task: Task, execId: string, ...argv: string[]): Promise<string> {
  const out = collector();
  const done = task.wait(execId);
  task.exec(execId, { user: { uid: 0, gid: 0 }, args: argv, env: ['PATH=/bin:/usr/bin'], cwd: '/' }, { stdout: out });
  await flush();
  await done;
  return out.text;
}
