/**
 * The contract between the shell and a command it runs: what bash gives a process (argv, environment,
 * stdin, stdout, stderr, a signal on Ctrl-C) and what it gets back (an exit status).
 *
 * A command writes text with "\n" line ends; the session's terminal layer turns them into "\r\n" for a
 * terminal (as a pty's ONLCR does) and leaves them alone for a headless run. A command that waits
 * (`sleep`, `watch`, `kubectl get -w`) awaits virtual time through `ctx.clock` and must stop promptly,
 * with status 130, when `ctx.interrupt` fires.
 */
import type { Clock } from '../base/clock.ts';
import type { SeededRng } from '../base/seededRng.ts';
import { Emitter, type Event } from '../base/emitter.ts';

export interface CommandContext {
  /** argv[0] is the name the command was invoked by. */
  readonly argv: readonly string[];
  readonly env: ReadonlyMap<string, string>;
  /** All of stdin (a pipe's or a file's contents); empty for a terminal. */
  readonly stdin: string;
  stdout(text: string): void;
  stderr(text: string): void;
  readonly interrupt: Interrupt;
  readonly clock: Clock;
  readonly rng: SeededRng;
  /** The shell running the command, for built-ins that act on it (history, clear, cd…). */
  readonly shell: ShellHost;
}

/** What built-ins may ask of the shell that runs them. */
export interface ShellHost {
  readonly history: readonly string[];
  clearHistory(): void;
  /** The status of the last command, bash's `$?`. */
  readonly lastStatus: number;
  clearScreen(): void;
  /** Every command this shell can run, sorted by name, for `help` and completion. */
  commands(): Array<{ name: string; summary: string }>;
  /** End the shell once the current command returns. */
  exit(status: number): void;
}

export type Command = (ctx: CommandContext) => number | Promise<number>;

/** Exit statuses bash reports. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  notExecutable: 126,
  notFound: 127,
  /** 128 + SIGINT(2): a command stopped by Ctrl-C. */
  interrupted: 130,
} as const;

/** Ctrl-C for one running command: a flag plus an event. */
export class Interrupt {
  private _fired = false;
  private readonly _onDidFire = new Emitter<void>();
  readonly onDidFire: Event<void> = this._onDidFire.event;

  get fired(): boolean {
    return this._fired;
  }

  fire(): void {
    if (this._fired) return;
    this._fired = true;
    this._onDidFire.fire();
    this._onDidFire.dispose();
  }
}

/**
 * Wait `ms` of virtual time, or less if interrupted. Resolves true when the time passed, false when
 * Ctrl-C cut it short.
 */
export function sleepOn(clock: Clock, ms: number, interrupt: Interrupt, label = 'sleep'): Promise<boolean> {
  if (interrupt.fired) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = clock.after(ms, () => {
      sub.dispose();
      resolve(true);
    }, label);
    const sub = interrupt.onDidFire(() => {
      timer.cancel();
      resolve(false);
    });
  });
}
