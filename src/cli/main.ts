/**
 * kubelab — the lab from a terminal, with no browser.
 *
 *   kubelab run FILE      run shell lines from FILE headless in a fresh lab
 *   kubelab run -         … from standard input
 *
 * Output is what the lab's terminal would print (stdout and stderr kept apart), and the exit status is
 * the last command's. Virtual time moves only while a command waits on it, so a run is reproducible.
 */
import { readFile } from 'node:fs/promises';
import { Lab, runHeadless } from '../engine/cluster/index.ts';

const USAGE = `kubelab — an offline lab for learning containers and Kubernetes by doing

Usage:
  kubelab run FILE [--seed N]   Run the shell lines in FILE in a fresh lab, headless
  kubelab run - [--seed N]      Run shell lines read from standard input
  kubelab --help                Show this help

Options:
  --seed N    Seed of the lab (default 1): the same seed and script give the same output
`;

/** Exit statuses of the CLI itself (a script's own status passes through). */
const EXIT_USAGE = 2;

interface RunArgs {
  file: string;
  seed: number;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? process.stderr : process.stdout).write(USAGE);
    return command === undefined ? EXIT_USAGE : 0;
  }
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
  const lab = new Lab({ seed: args.seed });
  return runHeadless(lab, script, {
    scriptName: args.file === '-' ? 'bash' : args.file,
    yieldToHost: () => new Promise((resolve) => setImmediate(resolve)),
    onOutput: (chunk) => (chunk.stream === 'stdout' ? process.stdout : process.stderr).write(chunk.text),
  });
}

function parseRunArgs(args: string[]): RunArgs | string {
  let file: string | undefined;
  let seed = 1;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--seed' || arg.startsWith('--seed=')) {
      const value = arg === '--seed' ? args[++i] : arg.slice('--seed='.length);
      if (value === undefined || !/^\d+$/.test(value) || Number(value) > 0xffffffff) return `--seed needs an integer from 0 to 4294967295, got ${value === undefined ? 'nothing' : `"${value}"`}`;
      seed = Number(value);
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown flag: ${arg}`;
    } else if (file === undefined) {
      file = arg;
    } else {
      return `expected one FILE (or - for standard input), got "${file}" and "${arg}"`;
    }
  }
  if (file === undefined) return 'missing FILE (use - to read standard input)';
  return { file, seed };
}

async function readStdin(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk as string;
  return text;
}

process.exitCode = await main(process.argv.slice(2));
