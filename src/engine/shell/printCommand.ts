/**
 * printCommand — bash's print_cmd.c: a command tree back to text, as `jobs` and job notices show a job
 * (`while true; do` on one line, the body's commands on the next, indented by four, `done` on its own;
 * words as written;
 * redirections as `2> file`, `2>&1`, `< file`). Left out: function definitions print on one line.
 */
import type { AndOrList, CondExpr, Command, Pipeline, Redirect, Script, Word, WordPart } from './parser.ts';

/** A job's command text: a lone pipeline as its processes (without `!`), else the whole list. */
export function jobText(list: AndOrList): string {
  if (list.rest.length === 0) return list.first.commands.map((c) => command(c, 0)).join(' | ');
  return andOr(list, 0);
}

export function andOr(list: AndOrList, indent: number): string {
  let out = pipeline(list.first, indent);
  for (const { op, pipeline: p } of list.rest) out += ` ${op} ${pipeline(p, indent)}`;
  return out;
}

function pipeline(p: Pipeline, indent: number): string {
  return (p.negated ? '! ' : '') + p.commands.map((c) => command(c, indent)).join(' | ');
}

/** Lists on one line: `a; b & c`. */
function inline(script: Script, indent: number): string {
  return script.lists.map((l, i) => andOr(l, indent) + (l.background ? ' &' : i < script.lists.length - 1 ? ';' : '')).join(' ');
}

/** A body: its lists on one indented line, ending with `;` (bash prints `do\n    a; b;\ndone`). */
function body(script: Script, indent: number, last = ';'): string {
  const background = script.lists[script.lists.length - 1]?.background === true;
  return ' '.repeat(indent) + inline(script, indent) + (background ? '' : last);
}

export function command(c: Command, indent: number): string {
  const pad = ' '.repeat(indent);
  const inner = indent + 4;
  let text: string;
  switch (c.type) {
    case 'simple': {
      const parts = [...c.assigns.map((a) => a.raw), ...c.words.map(wordText)];
      const heredocs = c.redirects.filter((r) => r.op === '<<');
      text = [...parts, ...c.redirects.map(redirect)].join(' ');
      for (const r of heredocs) text += `\n${plainText(r.target)}${r.delimiter ?? ''}\n`;
      return text;
    }
    case 'function':
      return `${c.name} () ${command(c.body, indent)}`;
    case 'group':
      text = `{ ${inline(c.body, indent)}; }`;
      break;
    case 'subshell':
      text = `( ${inline(c.body, indent)} )`;
      break;
    case 'while':
      text = `${c.until ? 'until' : 'while'} ${inline(c.cond, indent)}; do\n${body(c.body, inner)}\n${pad}done`;
      break;
    case 'for':
      text = `for ${c.name}${c.items ? ` in ${c.items.map(wordText).join(' ')}` : ''};\n${pad}do\n${body(c.body, inner)}\n${pad}done`;
      break;
    case 'arithFor':
      text = `for ((${c.texts.map((t) => t.trim()).join('; ')}))\n${pad}do\n${body(c.body, inner)}\n${pad}done`;
      break;
    case 'if': {
      text = '';
      c.clauses.forEach((clause, i) => {
        text += `${i === 0 ? 'if' : `${pad}elif`} ${inline(clause.cond, indent)}; then\n${body(clause.body, inner)}\n`;
      });
      if (c.otherwise) text += `${pad}else\n${body(c.otherwise, inner)}\n`;
      text += `${pad}fi`;
      break;
    }
    case 'case':
      text = `case ${wordText(c.word)} in \n`;
      for (const item of c.items) text += `${pad}    ${item.patterns.map(wordText).join(' | ')})\n${body(item.body, indent + 8, '')}\n${pad}    ;;\n`;
      text += `${pad}esac`;
      break;
    case 'cond':
      text = `[[ ${cond(c.expr)} ]]`;
      break;
    case 'arith':
      text = `(( ${c.text.trim()} ))`;
      break;
  }
  return c.redirects.length > 0 ? `${text} ${c.redirects.map(redirect).join(' ')}` : text;
}

function cond(e: CondExpr): string {
  switch (e.kind) {
    case 'and':
      return `${cond(e.left)} && ${cond(e.right)}`;
    case 'or':
      return `${cond(e.left)} || ${cond(e.right)}`;
    case 'not':
      return `! ${cond(e.expr)}`;
    case 'group':
      return `( ${cond(e.expr)} )`;
    case 'unary':
      return `${e.op} ${wordText(e.operand)}`;
    case 'binary':
      return `${wordText(e.left)} ${e.op} ${wordText(e.right)}`;
  }
}

function redirect(r: Redirect): string {
  const target = wordText(r.target);
  switch (r.op) {
    case '>':
    case '>>':
      return `${r.fd === 1 ? '' : r.fd}${r.op} ${target}`;
    case '<':
      return `${r.fd === 0 ? '' : r.fd}< ${target}`;
    case '>&':
      return `${r.fd === 1 ? '' : r.fd}>&${target}`;
    case '<&':
      return `${r.fd === 0 ? '' : r.fd}<&${target}`;
    case '<<':
      return `${r.fd === 0 ? '' : r.fd}<<${r.delimiter ?? ''}`;
    case '<<<':
      return `${r.fd === 0 ? '' : r.fd}<<< ${target}`;
    default:
      return `${r.op} ${target}`;
  }
}

/** A word as written; rebuilt from its parts when the parser kept no text for it. */
export function wordText(word: Word): string {
  return word.raw ?? plainText(word);
}

function plainText(word: Word): string {
  return word.parts.map(partText).join('');
}

function partText(p: WordPart): string {
  switch (p.kind) {
    case 'text':
      return p.value;
    case 'tilde':
      return `~${p.user}`;
    case 'param':
      return p.op === undefined && p.subscript === undefined ? `$${p.name}` : `\${${p.name}${p.subscript === undefined ? '' : '[…]'}…}`;
    case 'command':
      return '$(…)';
    case 'arith':
      return `$((${p.expr.map(partText).join('')}))`;
  }
}
