/**
 * Test support for the shell: run a script headlessly, as `bash` reading it, on a virtual clock that
 * steps to the next timer whenever the script has nothing else to do (so `sleep 5 & wait` takes no wall
 * time), and collect what it wrote. As in cluster/headless.ts, the host supplies `yieldToHost`: one
 * macrotask (setImmediate in Node), after which every continuation the last timer released has run.
 */
import { Clock } from '../base/clock.ts';
import { SeededRng } from '../base/seededRng.ts';
import { builtinCommands } from './commands/index.ts';
import { MemoryFileSystem } from './fs.ts';
import { Session } from './session.ts';

export interface ScriptResult {
  stdout: string;
  stderr: string;
  status: number;
}

/** Run `script` in a fresh headless session with `files` (path → content) in its file system. */
export async function runScript(script: string, options: { yieldToHost: () => Promise<void>; files?: Record<string, string> }): Promise<ScriptResult> {
  const files = options.files ?? {};
  const clock = new Clock();
  const fs = new MemoryFileSystem(clock);
  for (const dir of ['/home/student', '/tmp']) fs.mkdir(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) fs.writeFile(path, content);
  const session = new Session({ id: '1', clock, rng: new SeededRng(1), commands: builtinCommands(), tty: false, fs });
  let stdout = '';
  let stderr = '';
  session.onDidWrite((c) => (c.stream === 'stdout' ? (stdout += c.text) : (stderr += c.text)));
  let status: number | undefined;
  let failure: unknown;
  session.run(script).then(
    (s) => (status = s),
    (error: unknown) => (failure = error),
  );
  while (status === undefined && failure === undefined) {
    await options.yieldToHost();
    if (status === undefined && !clock.step()) break;
  }
  if (failure !== undefined) throw failure;
  if (status === undefined) throw new Error(`the script waits for something that never happens: ${JSON.stringify(script)}`);
  return { stdout, stderr, status };
}

/** The prompt of a terminal session for student@laptop in ~ (Debian's colour PS1). */
export const PROMPT = '\x1b[01;32mstudent@laptop\x1b[00m:\x1b[01;34m~\x1b[00m$ ';

/** A terminal session on a paused virtual clock: type keys, advance time, take what the screen got. */
export function terminal(yieldToHost: () => Promise<void>) {
  const clock = new Clock();
  const session = new Session({ id: '1', clock, rng: new SeededRng(1), commands: builtinCommands(), tty: true, cols: 80 });
  let screen = '';
  session.onDidWrite((c) => (screen += c.text));
  session.start();
  return {
    clock,
    session,
    /** Type `keys`, then let the shell run what it can. */
    async type(keys: string): Promise<void> {
      session.input(keys);
      await yieldToHost();
    },
    /** Move virtual time on, then let the shell run what it can. */
    async advance(ms: number): Promise<void> {
      clock.advance(ms);
      await yieldToHost();
    },
    /** What the screen got since the last take. */
    take(): string {
      const s = screen;
      screen = '';
      return s;
    },
  };
}
