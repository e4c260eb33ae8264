/** echo — bash's builtin: -n (no newline), -e (interpret escapes), -E (do not; the default). */
import type { Command } from '../command.ts';

export const echo: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  let newline = true;
  let escapes = false;
  // Leading words made only of n/e/E after a dash are options; anything else starts the text (as bash).
  while (args.length > 0 && /^-[neE]+$/.test(args[0]!)) {
    for (const flag of args.shift()!.slice(1)) {
      if (flag === 'n') newline = false;
      else escapes = flag === 'e';
    }
  }
  let text = args.join(' ');
  if (escapes) {
    const cut = text.indexOf('\\c');
    if (cut >= 0) {
      text = text.slice(0, cut);
      newline = false;
    }
    text = interpretEscapes(text);
  }
  ctx.stdout(newline ? text + '\n' : text);
  return 0;
};

const SIMPLE: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** The escapes of `echo -e` and `printf`'s format: \n \t \\ \0nnn \xHH \uHHHH … */
export function interpretEscapes(text: string): string {
  return text.replace(/\\(0[0-7]{0,3}|x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}|.)/g, (all, esc: string) => {
    if (esc in SIMPLE) return SIMPLE[esc]!;
    if (esc[0] === '0') return String.fromCharCode(parseInt(esc.slice(1) || '0', 8));
    if (esc[0] === 'x') return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (esc[0] === 'u' || esc[0] === 'U') return String.fromCodePoint(parseInt(esc.slice(1), 16));
    return all;
  });
}
