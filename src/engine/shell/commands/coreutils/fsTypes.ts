/**
 * The file system as coreutils commands see it (`ctx.fs`, `ctx.cwd`, from ../../fs.ts), and the
 * helpers that turn its errors into the strerror(3) texts coreutils print.
 */
import type { Command, CommandContext } from '../../command.ts';
import { FsError, STRERROR, type FsErrorCode } from '../../fs.ts';

export type { FileStat, FileSystem, FsErrorCode } from '../../fs.ts';

/** A command's context: it carries the shell's file system and working directory. */
export type FsCommandContext = CommandContext;
export type FsCommand = Command;



export function strerror(code: FsErrorCode): string {
  return STRERROR[code];
}

/** The errno name of a file-system error; anything else is rethrown. */
export function errorCode(err: unknown): FsErrorCode {
  if (err instanceof FsError) return err.code;
  throw err;
}
