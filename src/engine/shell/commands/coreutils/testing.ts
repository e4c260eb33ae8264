/**
 * A harness for the coreutils tests: runs one command line (split like bash words: quotes, no
 * expansions) against a MemoryFs with a paused virtual clock.
 */
import { Clock } from '../../../base/clock.ts';
import { SeededRng } from '../../../base/seededRng.ts';
import { Interrupt, type Command, type CommandContext, type ShellHost } from '../../command.ts';
import { MemoryFileSystem } from '../../fs.ts';

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Split a line into words as bash would without expansions: '…', "…" (with \" and \\), and \x. */
export function words(line: string): string[] {
  const out: string[] = [];
  let cur: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ') {
      if (cur !== undefined) out.push(cur);
      cur = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur = (cur ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      cur = cur ?? '';
      for (i++; line[i] !== '"'; i++) {
        if (line[i] === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\' || line[i + 1] === '$')) i++;
        cur += line[i];
      }
    } else if (c === '\\') {
      cur = (cur ?? '') + (line[++i] ?? '');
    } else cur = (cur ?? '') + c;
  }
  if (cur !== undefined) out.push(cur);
  return out;
}

export const EPOCH = Date.UTC(2026, 0, 1);

/** A file system holding `files` (path → content; a path ending in '/' is a directory), cwd /home/student. */
export function filesystem(files: Record<string, string> = {}, clock = new Clock({ startTime: EPOCH, paused: true })) {
  const fs = new MemoryFileSystem(clock);
  fs.mkdir('/home/student', { recursive: true });
  for (const [path, data] of Object.entries(files)) {
    const abs = fs.resolve(path, '/home/student');
    if (path.endsWith('/')) fs.mkdir(abs, { recursive: true });
    else {
      fs.mkdir(abs.slice(0, abs.lastIndexOf('/')) || '/', { recursive: true });
      fs.writeFile(abs, data);
    }
  }
  return { fs, clock };
}

export function context(argv: string[], options: { fs?: MemoryFileSystem; stdin?: string; cwd?: string; clock?: Clock } = {}) {
  const out = { stdout: '', stderr: '' };
  const clock = options.clock ?? new Clock({ startTime: EPOCH, paused: true });
  const interrupt = new Interrupt();
  const ctx: CommandContext = {
    argv,
    env: new Map<string, string>(),
    stdin: options.stdin ?? '',
    stdout: (t) => (out.stdout += t),
    stderr: (t) => (out.stderr += t),
    interrupt,
    clock,
    rng: new SeededRng(1),
    // The coreutils never call on the shell.
    shell: {} as ShellHost,
    fs: options.fs ?? filesystem({}, clock).fs,
    // Nor on the cluster.
    kube: {} as CommandContext['kube'],
    cwd: options.cwd ?? '/home/student',
  };
  return { ctx, out, interrupt, clock };
}

/** Run `line` (its first word is the command name) and collect status and output. */
export async function run(
  cmd: Command,
  line: string,
  options: { fs?: MemoryFileSystem; stdin?: string; cwd?: string; clock?: Clock } = {},
): Promise<RunResult> {
  const { ctx, out } = context(words(line), options);
  const status = await cmd(ctx);
  return { status, ...out };
}
