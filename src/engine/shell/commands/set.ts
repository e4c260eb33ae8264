/**
 * set — bash's builtin: `set` lists the shell variables (`NAME=value`, quoted as bash quotes them);
 * `set -e`/`-u`/`-f` and `set -o errexit|nounset|noglob|pipefail` (with `+` to turn off); `set -o` and
 * `set +o` list those options; `set [--] ARG…` sets the positional parameters. Options this shell does not
 * implement (-x, -v, -m…) are refused by name rather than silently accepted. Left out: listing functions.
 */
import { EXIT, type Command } from '../command.ts';

const FLAGS: Record<string, string> = { e: 'errexit', u: 'nounset', f: 'noglob' };
const USAGE = 'set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n';

export const set: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  const options = ctx.shell.shellOptions;
  if (args.length === 0) {
    let out = '';
    for (const v of ctx.shell.variables()) out += `${v.name}=${quoteValue(v.value)}\n`;
    ctx.stdout(out);
    return EXIT.ok;
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--' || arg === '-') {
      ctx.shell.positional = args.slice(i + 1);
      return EXIT.ok;
    }
    if (!/^[-+]/.test(arg)) {
      ctx.shell.positional = args.slice(i);
      return EXIT.ok;
    }
    const on = arg[0] === '-';
    for (const flag of arg.slice(1)) {
      if (flag === 'o') {
        const name = args[i + 1];
        if (name === undefined) {
          let out = '';
          for (const [n, v] of [...options].sort(([a], [b]) => (a < b ? -1 : 1))) out += on ? `${n.padEnd(15)}\t${v ? 'on' : 'off'}\n` : `set ${v ? '-' : '+'}o ${n}\n`;
          ctx.stdout(out);
          continue;
        }
        i++;
        if (!options.has(name)) {
          ctx.stderr(`${ctx.shell.errorPrefix}set: ${name}: invalid option name\n`);
          return EXIT.usage;
        }
        options.set(name, on);
        continue;
      }
      const name = FLAGS[flag];
      if (name === undefined) {
        ctx.stderr(`${ctx.shell.errorPrefix}set: ${arg[0]}${flag}: ${/[abhkmnptvxBCEHPT]/.test(flag) ? 'not supported by this shell' : 'invalid option'}\n${USAGE}`);
        return EXIT.usage;
      }
      options.set(name, on);
    }
  }
  return EXIT.ok;
};

/** A value as `set` prints it: bare when safe, else '…' with `'\''` for quotes. */
export function quoteValue(value: string): string {
  if (/^[A-Za-z0-9_./:,+@%^=-]*$/.test(value) && value !== '') return value;
  if (hasControl(value)) return ansiQuote(value);
  return quoteSingle(value);
}

export function quoteSingle(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** `declare -x` style: "…" with \ " $ and backquote escaped. */
export function quoteDeclare(value: string): string {
  return `"${value.replace(/[\\"$`]/g, '\\$&')}"`;
}

const ANSI: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\x1b': '\\E', "'": "\\'", '\\': '\\\\' };

/** $'…' quoting, as bash uses for values with control characters. */
export function ansiQuote(value: string): string {
  return `$'${value.replace(CONTROL_OR_QUOTE, (c) => ANSI[c] ?? `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`)}'`;
}

/** Whether text has a C0 control character or DEL (bash then quotes with $'…'). */
export function hasControl(text: string): boolean {
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const CONTROL_OR_QUOTE = /[\x00-\x1f\x7f'\\]/g;
