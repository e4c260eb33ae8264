/**
 * gnulib's canonicalize_filename_mode, which readlink -f/-e/-m and realpath share: walk a path component by
 * component, following symlinks (at most 40), through the tool's FileSystem. Modes: 'e' every component
 * must exist, 'f' all but the last, 'm' none.
 */
import { KernelError } from '../../../kernel/errno.ts';
import type { CommandContext } from '../../command.ts';

/** CAN_EXISTING, CAN_ALL_BUT_LAST, CAN_MISSING. */
export type CanonMode = 'e' | 'f' | 'm';

/** The canonical absolute path, or undefined (the reason in `why`) when `mode` forbids a missing component. */
export function canonicalize(ctx: CommandContext, path: string, mode: CanonMode, why?: (error: KernelError) => void): string | undefined {
  const fs = ctx.fs;
  const pending = (path.startsWith('/') ? path : `${ctx.cwd}/${path}`).split('/').filter((c) => c !== '' && c !== '.');
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const name = pending.shift()!;
    if (name === '..') {
      done.pop();
      continue;
    }
    const here = `/${[...done, name].join('/')}`;
    const st = fs.stat(here);
    let target: string | undefined;
    try {
      target = fs.readlink(here);
    } catch {
      target = undefined;
    }
    if (target !== undefined) {
      if (++links > 40) {
        why?.(new KernelError('ELOOP', path));
        return undefined;
      }
      if (target.startsWith('/')) done.length = 0;
      pending.unshift(...target.split('/').filter((c) => c !== '' && c !== '.'));
      continue;
    }
    const last = pending.length === 0;
    if (!st && (mode === 'e' || (mode === 'f' && !last))) {
      why?.(new KernelError('ENOENT', path));
      return undefined;
    }
    if (st && st.type !== 'dir' && !last && mode !== 'm') {
      why?.(new KernelError('ENOTDIR', path));
      return undefined;
    }
    done.push(name);
  }
  return `/${done.join('/')}`;
}
