/**
 * kubelab — the lab from a terminal, with no browser.
 *
 *   kubelab run FILE      run shell lines from FILE headless in a fresh lab
 *   kubelab run -         … from standard input
 *   kubelab run --server URL FILE
 *                         … with the shell's kubectl talking HTTP to that apiserver (a `kubelab serve`)
 *   kubelab serve         serve the lab's API over HTTP for a real kubectl
 *   kubelab lesson FILE   check a lesson file as the lesson CI does
 *
 * Output is what the lab's terminal would print (stdout and stderr kept apart), and the exit status is
 * the last command's. Virtual time moves only while a command waits on it, so a run is reproducible.
 * With --server the cluster is the server's, which lives on wall time: the shell's clock then follows
 * wall time too (`sleep 2` takes two seconds), and its kubeconfig names that server.
 */
import { readFile } from 'node:fs/promises';
import { Clock } from '../engine/base/clock.ts';
import { RealTimeDriver } from '../engine/base/realTimeDriver.ts';
import { SeededRng } from '../engine/base/seededRng.ts';
import { ADMIN_USER } from '../engine/apiserver/kubeApiserver.ts';
import { KUBEADM_CLUSTER, Lab, runHeadless } from '../engine/cluster/index.ts';
import { builtinCommands } from '../engine/shell/commands/index.ts';
import { LAPTOP_CURL } from '../engine/shell/commands/curl.ts';
import { Loopback, registerLoopback } from '../engine/cluster/loopback.ts';
import { KubeconfigFile } from '../engine/shell/commands/kubectl/kubeconfig.ts';
import { MemoryFileSystem } from '../engine/shell/fs.ts';
import { Session } from '../engine/shell/session.ts';
import { HttpTransport } from './httpTransport.ts';
import { lessonCommand } from './lesson.ts';
import { ADMIN_TOKEN, DEFAULT_PORT, startServer, writeKubeconfig } from './serve.ts';

const USAGE = `kubelab — an offline lab for learning containers and Kubernetes by doing

Usage:
  kubelab run FILE [--seed N]   Run the shell lines in FILE in a fresh lab, headless
  kubelab run - [--seed N]      Run shell lines read from standard input
  kubelab run --server URL FILE Run them with kubectl talking to the apiserver at URL (such as a
                                kubelab serve) instead of a fresh lab's, on wall-clock time
  kubelab serve [--port N] [--kubeconfig FILE] [--seed N]
                                Run the lab's cluster on the real-time clock and serve its API over
                                HTTP on 127.0.0.1, for a real kubectl; Ctrl-C stops it
  kubelab lesson FILE|DIR [-v]  Check a lesson as the lesson CI does: parse it, build its starting
                                cluster, and prove each step's checks fail before its solution and
                                pass after (a DIR means its en.md and zh-CN.md)
  kubelab --help                Show this help

Options:
  --seed N            Seed of the lab (default 1): the same seed and script give the same output
  --server URL        The apiserver the shell's kubectl talks to over HTTP (http://127.0.0.1:6443)
  --port N            Port to serve on (default 6443)
  --kubeconfig FILE   Where serve writes a kubeconfig for the lab (default ./kubelab.kubeconfig)
`;

/** Exit statuses of the CLI itself (a script's own status passes through). */
const EXIT_USAGE = 2;

interface RunArgs {
  file: string;
  seed: number;
  server?: string;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? process.stderr : process.stdout).write(USAGE);
    return command === undefined ? EXIT_USAGE : 0;
  }
  if (command === 'serve') return serve(rest);
  if (command === 'lesson') return lessonCommand(rest);
  if (command !== 'run') {
    process.stderr.write(`kubelab: unknown command "${command}"\nRun 'kubelab --help' for usage.\n`);
    return EXIT_USAGE;
  }
  const args = parseRunArgs(rest);
  if (typeof args === 'string') {
    process.stderr.write(`kubelab run: ${args}\nRun 'kubelab --help' for usage.\n`);
    return EXIT_USAGE;
  }
  let script: string;
  try {
    script = args.file === '-' ? await readStdin() : await readFile(args.file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(error);
    process.stderr.write(`kubelab run: cannot read ${args.file}: ${why}\n`);
    return EXIT_USAGE;
  }
  const scriptName = args.file === '-' ? 'bash' : args.file;
  if (args.server !== undefined) return runAgainst(args.server, script, scriptName, args.seed);
  const lab = new Lab({ seed: args.seed, cluster: KUBEADM_CLUSTER });
  await lab.cluster.boot();
  return runHeadless(lab, script, {
    scriptName,
    yieldToHost: () => new Promise((resolve) => setImmediate(resolve)),
    onOutput: (chunk) => (chunk.stream === 'stdout' ? process.stdout : process.stderr).write(chunk.text),
  });
}

/** The value of `--name V` or `--name=V` at args[i], with the index of the last argument used. */
function flagValue(args: string[], i: number, name: string): { value: string | undefined; next: number } | undefined {
  const arg = args[i]!;
  if (arg === name) return { value: args[i + 1], next: i + 1 };
  if (arg.startsWith(`${name}=`)) return { value: arg.slice(name.length + 1), next: i };
  return undefined;
}

function parseSeed(value: string | undefined): number | string {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) > 0xffffffff) return `--seed needs an integer from 0 to 4294967295, got ${value === undefined ? 'nothing' : `"${value}"`}`;
  return Number(value);
}

function parseRunArgs(args: string[]): RunArgs | string {
  let file: string | undefined;
  let seed = 1;
  let server: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const seedFlag = flagValue(args, i, '--seed');
    const serverFlag = flagValue(args, i, '--server');
    if (serverFlag) {
      const url = serverFlag.value;
      if (url === undefined || !/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) return `--server needs an http:// or https:// URL, got ${url === undefined ? 'nothing' : `"${url}"`}`;
      server = url;
      i = serverFlag.next;
    } else if (seedFlag) {
      const parsed = parseSeed(seedFlag.value);
      if (typeof parsed === 'string') return parsed;
      seed = parsed;
      i = seedFlag.next;
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown flag: ${arg}`;
    } else if (file === undefined) {
      file = arg;
    } else {
      return `expected one FILE (or - for standard input), got "${file}" and "${arg}"`;
    }
  }
  if (file === undefined) return 'missing FILE (use - to read standard input)';
  return { file, seed, ...(server !== undefined ? { server } : {}) };
}

/**
 * `run --server`: the lab's shell, files and commands, with kubectl's transport HTTP to `server` and the
 * clock on wall time. Nothing of a local cluster is built: every request goes to that server.
 */
async function runAgainst(server: string, script: string, scriptName: string, seed: number): Promise<number> {
  const clock = new Clock({ paused: false });
  const fs = new MemoryFileSystem(clock);
  fs.mkdir('/home/student', { recursive: true });
  fs.mkdir('/tmp', { recursive: true });
  // kubectl config view, cluster-info and friends name the server the shell really talks to.
  KubeconfigFile.load(fs, '/home/student/.kube/config', server);
  const rng = new SeededRng(seed);
  // The laptop's loopback, as the lab's own laptop has it: where `kubectl port-forward` listens and
  // the script's curl connects.
  registerLoopback(clock, new Loopback(rng.fork('laptop/loopback')));
  const commands = builtinCommands();
  commands.set('curl', LAPTOP_CURL);
  const session = new Session({ id: '1', clock, rng, commands, tty: false, scriptName, fs, kube: { transport: new HttpTransport(server) } });
  session.onDidWrite((chunk) => (chunk.stream === 'stdout' ? process.stdout : process.stderr).write(chunk.text));
  let failed: unknown;
  // Every wall timer the driver sets is kept, so that all are cleared at the end: a clock state change
  // during a tick makes the driver schedule twice, and the stray timer would keep this process alive.
  const timers = new Set<NodeJS.Timeout>();
  const setTimer = (fn: () => void, ms: number) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
    return () => {
      clearTimeout(t);
      timers.delete(t);
    };
  };
  const driver = new RealTimeDriver(clock, { now: () => performance.now(), setTimer }, (e) => (failed = e));
  try {
    const status = await session.run(script);
    if (failed !== undefined) throw failed;
    return status;
  } finally {
    driver.dispose();
    for (const t of timers) clearTimeout(t);
  }
}

interface ServeArgs {
  port: number;
  kubeconfig: string;
  seed: number;
}

function parseServeArgs(args: string[]): ServeArgs | string {
  const out: ServeArgs = { port: DEFAULT_PORT, kubeconfig: './kubelab.kubeconfig', seed: 1 };
  for (let i = 0; i < args.length; i++) {
    const seedFlag = flagValue(args, i, '--seed');
    const portFlag = flagValue(args, i, '--port');
    const configFlag = flagValue(args, i, '--kubeconfig');
    if (seedFlag) {
      const parsed = parseSeed(seedFlag.value);
      if (typeof parsed === 'string') return parsed;
      out.seed = parsed;
      i = seedFlag.next;
    } else if (portFlag) {
      const v = portFlag.value;
      if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65535) return `--port needs a port from 1 to 65535, got ${v === undefined ? 'nothing' : `"${v}"`}`;
      out.port = Number(v);
      i = portFlag.next;
    } else if (configFlag) {
      if (!configFlag.value) return '--kubeconfig needs a file name';
      out.kubeconfig = configFlag.value;
      i = configFlag.next;
    } else {
      return args[i]!.startsWith('-') ? `unknown flag: ${args[i]}` : `unexpected argument "${args[i]}"`;
    }
  }
  return out;
}

async function serve(rest: string[]): Promise<number> {
  const args = parseServeArgs(rest);
  if (typeof args === 'string') {
    process.stderr.write(`kubelab serve: ${args}\nRun 'kubelab --help' for usage.\n`);
    return EXIT_USAGE;
  }
  const lab = new Lab({ seed: args.seed, running: true, cluster: KUBEADM_CLUSTER });
  lab.authenticate(ADMIN_TOKEN, ADMIN_USER);
  await lab.cluster.apiserver.openapi.load();
  let failed: unknown;
  const driver = new RealTimeDriver(lab.clock, { now: () => performance.now(), setTimer: (fn, ms) => { const t = setTimeout(fn, ms); return () => clearTimeout(t); } }, (e) => (failed = e));
  let server;
  try {
    server = await startServer(lab, args.port, (e) => process.stderr.write(`kubelab serve: ${String(e)}\n`));
  } catch (e) {
    driver.dispose();
    const code = (e as NodeJS.ErrnoException).code;
    process.stderr.write(`kubelab serve: cannot listen on 127.0.0.1:${args.port}: ${code === 'EADDRINUSE' ? 'address already in use' : String(e)}\n`);
    return 1;
  }
  writeKubeconfig(args.kubeconfig, args.port);
  process.stdout.write(`Kubelab is serving the Kubernetes API at http://127.0.0.1:${args.port}
Wrote a kubeconfig to ${args.kubeconfig}. Try:

  export KUBECONFIG=${args.kubeconfig}
  kubectl get namespaces

Press Ctrl-C to stop.
`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  driver.dispose();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  process.stdout.write('kubelab serve: stopped\n');
  if (failed !== undefined) {
    process.stderr.write(`kubelab serve: the lab failed: ${String(failed)}\n`);
    return 1;
  }
  return 0;
}

async function readStdin(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk as string;
  return text;
}

process.exitCode = await main(process.argv.slice(2));
