/**
 * Test support for the procps tools: a host's /proc (and /etc, /dev/kmsg) built from a fixture copied from
 * a real Linux machine, in a MemoryFileSystem that also answers readlink for the `ns/*` links and follows
 * `/proc/self` to the caller's pid, as the kernel's procfs does.
 */
import { Clock } from '../../../base/clock.ts';
import type { Command } from '../../command.ts';
import { FsError, MemoryFileSystem } from '../../fs.ts';
import { context, words, type RunResult } from '../coreutils/testing.ts';
import golden from './testdata/golden.json' with { type: 'json' };
import host from './testdata/host.json' with { type: 'json' };

/** A snapshot of a host: file contents by path, symlink targets by path (null: EACCES), the wall clock. */
export interface HostFixture {
  readonly files: Readonly<Record<string, string>>;
  readonly links: Readonly<Record<string, string | null>>;
  /** Milliseconds since the epoch when the snapshot was taken. */
  readonly clock: number;
}

/** A MemoryFileSystem with procfs's symlinks: `ns/*` targets and `/proc/self`. */
export class FixtureFileSystem extends MemoryFileSystem {
  constructor(
    clock: Clock,
    private readonly links: Readonly<Record<string, string | null>>,
    /** The pid /proc/self names. */
    private readonly self: number,
  ) {
    super(clock);
  }

  override readFile(path: string): string {
    return super.readFile(this.follow(path));
  }

  override readdir(path: string): string[] {
    return super.readdir(this.follow(path));
  }

  override stat(path: string) {
    return super.stat(this.follow(path));
  }

  override readlink(path: string): string {
    const abs = this.follow(this.resolve(path, '/'));
    if (abs === '/proc/self') return String(this.self);
    const target = this.links[abs];
    if (target === null) throw new FsError('EACCES', path);
    if (target !== undefined) return target;
    return super.readlink(abs);
  }

  private follow(path: string): string {
    const abs = this.resolve(path, '/');
    return abs === '/proc/self' || abs.startsWith('/proc/self/') ? `/proc/${this.self}${abs.slice(10)}` : abs;
  }
}

/** The fixture's files (with `override` on top) in a FixtureFileSystem; the clock stands at its snapshot time. */
export function hostFileSystem(fixture: HostFixture, options: { self: number; files?: Record<string, string> }) {
  const clock = new Clock({ startTime: fixture.clock, paused: true });
  const fs = new FixtureFileSystem(clock, fixture.links, options.self);
  for (const [path, data] of Object.entries({ ...fixture.files, ...options.files })) {
    fs.mkdir(path.slice(0, path.lastIndexOf('/')) || '/', { recursive: true });
    fs.writeFile(path, data);
  }
  for (const path of Object.keys(fixture.links)) fs.mkdir(path.slice(0, path.lastIndexOf('/')), { recursive: true });
  return { fs, clock };
}

/** Run `line` on the host (the caller is `self`), with `env` in its environment. */
export async function runOnHost(
  cmd: Command,
  line: string,
  host: { fs: FixtureFileSystem; clock: Clock },
  env: Record<string, string> = {},
): Promise<RunResult> {
  const { ctx, out } = context(words(line), { fs: host.fs, clock: host.clock });
  const status = await cmd({ ...ctx, env: new Map(Object.entries(env)) });
  return { status, ...out };
}

/** The captured host: a script (pid 25681, no terminal, root) with a tree of children, kernel threads, init. */
export const HOST: HostFixture = host;

/** The caller in the captured host. */
export const SELF = 25681;

/** A real tool's output on the captured host: the line run here, what ran there, and what it printed. */
export interface Golden {
  readonly line: string;
  readonly real: string;
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Files as they were when this tool ran (meminfo changes from one instant to the next). */
  readonly files?: Record<string, string>;
  /** How the recorded output was adjusted to the snapshot, if it was. */
  readonly note?: string;
}

/** The recorded outputs of the lines that start with `tool `. */
export function goldenCases(tool: string): Array<readonly [string, Golden]> {
  return (golden as Golden[]).filter((g) => g.line === tool || g.line.startsWith(`${tool} `)).map((g) => [g.line, g] as const);
}
