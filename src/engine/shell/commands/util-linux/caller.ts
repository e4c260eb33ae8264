/**
 * The process a tool runs as on an emulated host, and its file system view: the `current` of every system
 * call the tool makes. On the laptop there is none, and a tool that needs the kernel fails as it would
 * without the support it needs.
 */
import type { Vfs } from '../../../kernel/fs/vfs.ts';
import type { Host } from '../../../kernel/host.ts';
import type { Process } from '../../../kernel/process/process.ts';
import type { CommandContext } from '../../command.ts';

/** A tool's process on its host. */
export interface Caller {
  /** The host whose kernel the tool calls. */
  readonly host: Host;
  /** The process running the tool. */
  readonly process: Process;
  /** Its file system view; every call on it runs as `process`. */
  readonly vfs: Vfs;
}

/** The caller of `ctx` on an emulated host, or undefined on the laptop. */
export function callerOf(ctx: CommandContext): Caller | undefined {
  if (!ctx.process) return undefined;
  const { host, process } = ctx.process;
  return { host, process, vfs: host.vfsFor(process) };
}
