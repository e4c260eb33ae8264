/**
 * How the shells a host may run word their own messages: GNU bash (BASH_DIALECT, the interpreter's own),
 * dash (Ubuntu's /bin/sh: `sh: 1: foo: not found`) and busybox's ash (`sh: foo: not found`, the `/ # `
 * prompt).
 */
import type { ShellDialect } from '../../shell/interpreter.ts';

/** dash 0.5.12: every message names the line, even at a prompt. */
export const DASH_DIALECT: ShellDialect = {
  name: 'sh',
  errorPrefix: (where, line) => `${where?.name ?? 'sh'}: ${(where?.lineBase ?? 0) + line}: `,
  notFound: (command) => `${command}: not found`,
  // dash's errmsg(): its own words for ENOENT on a create and an open, strerror otherwise.
  redirectionFailed: (target, error, create) =>
    `cannot ${create ? 'create' : 'open'} ${target}: ${error.code === 'ENOENT' ? (create ? 'Directory nonexistent' : 'No such file') : error.describe}`,
  redirectionStatus: 2,
};

/** busybox 1.36 ash: a script file's messages name the line; `-c`, stdin and the prompt's do not. */
export const ASH_DIALECT: ShellDialect = {
  name: 'sh',
  errorPrefix: (where, line) => (where && where.name !== 'sh' ? `${where.name}: line ${where.lineBase + line}: ` : 'sh: '),
  notFound: (command) => `${command}: not found`,
  redirectionFailed: (target, error, create) => `can't ${create ? 'create' : 'open'} ${target}: ${error.describe}`,
  redirectionStatus: 2,
};

/** busybox ash's default prompt for PS1 `\w \$ `: `/ # ` for root in /. */
export function ashPrompt(state: { user: string; cwd: string }): string {
  return `${state.cwd} ${state.user === 'root' ? '#' : '$'} `;
}
