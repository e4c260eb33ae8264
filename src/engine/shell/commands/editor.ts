/**
 * vi, vim and nano on the laptop: the lab's editor panel stands in for the full-screen editor.
 *
 * With an editor host (a session opened by the UI, which shows the file in its editor), each file named is
 * handed to the host with its content (empty for a new file) and the command waits: "Save & close" gives
 * the new text, which is written back (creating the file, as `:wq` does; a last line gets its newline, as
 * vim's 'fixendofline' and nano give it), "Cancel" leaves the file as it
 * was (`:q!`); both exit 0. Files are edited one after the other, as `vim a b` does. So `kubectl edit`,
 * which runs `$KUBE_EDITOR`/`$EDITOR`/`vi` on a temporary file and reads it back, works through the panel.
 *
 * Without one (a headless run, `kubelab run`, a test), there is no terminal to draw on and stdin is at its
 * end: vim warns that its output and input are not a terminal, fails to read input and exits 1 (`Vim:
 * Error reading input, exiting...`); nano dies with `Too many errors from stdin`, status 1 — as the real
 * ones do with stdin at end of file, minus the screen they paint on the way. kubectl then reports `there
 * was a problem with the editor "vi"`.
 *
 * Options (`-R`, `+10`, nano's `-l`…) are accepted and ignored; `--` ends them. A directory or a file that
 * cannot be written is reported in the editor's own words and ends the command with status 1, as does a
 * host that fails to show the file (its message). Ctrl-C at the terminal (or the shell closing) stops
 * waiting, with status 130, and withdraws the request from the host, which keeps the text but can no
 * longer hand it back.
 * Left out: reading the text from stdin (`vim -`), and an unnamed buffer (no file name: vim's `E32: No file name`, status 1).
 */
import { EXIT, type Command, type CommandContext } from '../command.ts';
import { FsError } from '../fs.ts';
import type { CommandSpec, CommandTable } from './index.ts';

/** A file for the editor host to show: its absolute path and its text now ("" for a new file). */
export interface EditRequest {
  path: string;
  content: string;
}

/** Whoever shows the files a session's `vi` or `nano` opens (the UI's editor panel). */
export interface EditorHost {
  /** Resolves with the new text when the student saves and closes, undefined when they quit without saving. */
  edit(request: EditRequest): Promise<string | undefined>;
  /** The command stopped waiting for `request` (Ctrl-C, the shell closed): its answer will not be read. */
  withdraw?(request: EditRequest): void;
}

type Flavour = 'vim' | 'nano';

const SUMMARIES: Record<string, { flavour: Flavour; summary: string }> = {
  vi: { flavour: 'vim', summary: 'edit files in the editor panel (vi FILE...; what kubectl edit runs)' },
  vim: { flavour: 'vim', summary: 'edit files in the editor panel (vim FILE...)' },
  nano: { flavour: 'nano', summary: 'edit files in the editor panel (nano FILE...)' },
};

/** The editor commands, bound to `host` (or, without one, failing as they do with no terminal). */
export function editorCommands(host?: EditorHost): Array<[string, CommandSpec]> {
  return Object.entries(SUMMARIES).map(([name, { flavour, summary }]) => [name, { run: editor(flavour, host), summary, path: `/usr/bin/${name}` }]);
}

/** `commands` with its editor commands bound to `host`; names it lacks stay absent. */
export function withEditorHost(commands: CommandTable, host: EditorHost): CommandTable {
  const out = new Map(commands);
  for (const [name, spec] of editorCommands(host)) if (out.has(name)) out.set(name, spec);
  return out;
}

function editor(flavour: Flavour, host: EditorHost | undefined): Command {
  return async (ctx) => {
    if (!host) return noTerminal(flavour, ctx);
    const files = fileArgs(ctx.argv.slice(1));
    const name = ctx.argv[0] ?? flavour;
    if (files.length === 0) {
      // vim's words when an unnamed buffer is written; nano would prompt for a name, which the panel cannot.
      ctx.stderr(flavour === 'vim' ? 'E32: No file name\n' : `kubelab: ${name} needs a file name here (${name} FILE)\n`);
      return EXIT.failure;
    }
    for (const file of files) {
      const path = ctx.fs.resolve(file, ctx.cwd);
      const stat = ctx.fs.stat(path);
      if (stat?.type === 'dir') {
        ctx.stderr(`"${file}" is a directory\n`);
        return EXIT.failure;
      }
      const content = stat ? ctx.fs.readFile(path) : '';
      let edited: string | undefined | typeof INTERRUPTED;
      const request = { path, content };
      try {
        edited = await untilInterrupted(host.edit(request), ctx);
      } catch (e) {
        // The panel could not take the file (the page went away): nothing was edited.
        ctx.stderr(`${name}: ${e instanceof Error ? e.message : String(e)}\n`);
        return EXIT.failure;
      }
      if (edited === INTERRUPTED) {
        host.withdraw?.(request);
        return EXIT.interrupted;
      }
      if (edited === undefined) continue;
      try {
        // Both end the last line with a newline when they write (vim's 'fixendofline', nano without -L).
        ctx.fs.writeFile(path, edited === '' || edited.endsWith('\n') ? edited : `${edited}\n`);
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        ctx.stderr(flavour === 'vim' ? `"${file}" E212: Can't open file for writing\n` : `[ Error writing ${file}: ${e.describe} ]\n`);
        return EXIT.failure;
      }
    }
    return EXIT.ok;
  };
}

/** The file names among the arguments: options (`-x`, `+N`) skipped until `--`. */
function fileArgs(args: readonly string[]): string[] {
  const files: string[] = [];
  let options = true;
  for (const arg of args) {
    if (options && arg === '--') options = false;
    else if (options && (arg.startsWith('-') || arg.startsWith('+')) && arg.length > 1) continue;
    else files.push(arg);
  }
  return files;
}

/** What the editor does with no terminal and stdin at its end. */
function noTerminal(flavour: Flavour, ctx: CommandContext): number {
  if (flavour === 'nano') {
    ctx.stderr('Too many errors from stdin\n');
    return EXIT.failure;
  }
  if (!ctx.terminal) ctx.stderr('Vim: Warning: Output is not to a terminal\nVim: Warning: Input is not from a terminal\n');
  ctx.stdout('Vim: Error reading input, exiting...\nVim: Finished.\n');
  return EXIT.failure;
}

const INTERRUPTED = Symbol('interrupted');

function untilInterrupted<T>(promise: Promise<T>, ctx: CommandContext): Promise<T | typeof INTERRUPTED> {
  if (ctx.interrupt.fired) return Promise.resolve(INTERRUPTED);
  return new Promise((resolve, reject) => {
    const sub = ctx.interrupt.onDidFire(() => resolve(INTERRUPTED));
    promise.then(
      (value) => {
        sub.dispose();
        resolve(value);
      },
      (error: unknown) => {
        sub.dispose();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
