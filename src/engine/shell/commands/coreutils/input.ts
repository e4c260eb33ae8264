/**
 * Reading a tool's inputs the way coreutils does: each operand a file (`-` is stdin), none meaning
 * stdin, and a failed read reported as `tool: NAME: strerror` while the others go on.
 */
import { errorCode, strerror, type FsCommandContext } from './fsTypes.ts';

/**
 * The contents of `name` (stdin for '-'), or undefined after printing `tool: name: error`
 * (or what `message` makes of the name and the error text).
 */
export function readInput(
  ctx: FsCommandContext,
  name: string,
  message = (file: string, error: string) => `${ctx.argv[0] ?? ''}: ${file}: ${error}`,
): string | undefined {
  if (name === '-') return ctx.stdin;
  try {
    return ctx.fs.readFile(ctx.fs.resolve(name, ctx.cwd));
  } catch (err) {
    ctx.stderr(`${message(name, strerror(errorCode(err)))}\n`);
    return undefined;
  }
}

/** Split text into lines without their "\n"; a last line without one still counts. */
export function lines(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Join lines back, each ending in "\n". */
export function unlines(parts: readonly string[]): string {
  return parts.map((l) => `${l}\n`).join('');
}
