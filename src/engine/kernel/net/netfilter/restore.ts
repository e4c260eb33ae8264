/**
 * iptables-restore (xtables-restore.c, iptables 1.8.9): lines of "*TABLE", ":CHAIN POLICY [P:B]",
 * iptables command lines ("-A …", "-I …", "-D …", "-N …", "-X …", "-F …", "-P …", "-E …", "-Z …"), each
 * optionally after "[P:B] " counters, and "COMMIT"; "#" comments and empty lines skipped. Without
 * --noflush a table is flushed when its "*TABLE" line comes; a ":CHAIN" line creates the user chain or,
 * if it exists, flushes it, and sets a built-in chain's policy (its counters with --counters). Rule lines
 * are split as add_param_to_argv splits them: on blanks, double quotes grouping and a backslash escaping
 * inside them. The input applies as a whole: the first error throws a RestoreError carrying
 * iptables-restore's output and exit code, the rule set untouched.
 *
 * Left out: --test, --verbose's echo, --table's filtering on a partial input's other tables.
 */
import { parseCommand } from './commandLine.ts';
import type { Ruleset } from './netfilter.ts';
import { isTableName } from './table.ts';
import { ParameterProblem, RulesetError, VersionProblem, XT_EXIT } from './xtablesError.ts';

/** How to restore. */
export interface RestoreOptions {
  /** --noflush: keep what the tables hold. */
  readonly noflush?: boolean;
  /** --counters: take the [P:B] counters of the input. */
  readonly counters?: boolean;
  /** --table: only this table's part of the input is applied. */
  readonly table?: string;
  /** The program name messages give (default iptables-restore). */
  readonly program?: string;
}

/** iptables-restore failed: `message` is what it printed to stderr, `status` its exit code. */
export class RestoreError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** add_param_to_argv: split a rule line into its arguments. */
export function splitRuleLine(line: string): string[] {
  const out: string[] = [];
  let param = '';
  let open = false;
  let escaped = false;
  let quoted = false;
  for (const c of line) {
    if (open) {
      if (escaped) {
        param += c;
        escaped = false;
        continue;
      }
      if (c === '\\') {
        escaped = true;
        continue;
      }
      if (c !== '"') {
        param += c;
        continue;
      }
      open = false;
    } else if (c === '"') {
      open = true;
      quoted = true;
      continue;
    }
    if (c === '"' || c === ' ' || c === '\t' || c === '\n') {
      if (c !== '"' && param.length === 0 && !quoted) continue;
      out.push(param);
      param = '';
      quoted = false;
      continue;
    }
    param += c;
  }
  if (param.length > 0) out.push(param);
  return out;
}

/** Apply `text` to `ruleset` (a working copy: on error it is left half-changed and must be dropped). */
export function restoreRuleset(ruleset: Ruleset, text: string, options: RestoreOptions = {}): void {
  const program = options.program ?? (ruleset.family === 6 ? 'ip6tables-restore' : 'iptables-restore');
  const version = ruleset.backend === 'legacy' ? 'v1.8.9 (legacy)' : 'v1.8.9 (nf_tables)';
  const parameter = (message: string, line: number) =>
    new RestoreError(`${program} ${version}: ${message}\nError occurred at line: ${line}\nTry \`${program} -h' or '${program} --help' for more information.\n`, XT_EXIT.parameter);
  const failed = (line: number, why?: string) =>
    new RestoreError(`${program}: line ${line} failed${why !== undefined && ruleset.backend !== 'legacy' ? `: ${why}.` : ''}\n`, XT_EXIT.other);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let table: string | undefined;
  let skipping = false;
  let n = 0;
  for (const raw of lines) {
    n++;
    const line = raw.replace(/\r$/, '');
    if (line === '' || line.startsWith('#')) continue;
    if (table !== undefined && line.trimEnd() === 'COMMIT') {
      table = undefined;
      skipping = false;
      continue;
    }
    if (line.startsWith('*') && table === undefined) {
      const name = line.slice(1).split(/[ \t]/)[0] ?? '';
      if (name === '') throw parameter(`${program}: line ${n} table name invalid\n`, n);
      if (!isTableName(name)) throw parameter(`${program}: table '${name}' does not exist`, n);
      table = name;
      skipping = options.table !== undefined && options.table !== name;
      if (skipping) continue;
      if (!options.noflush) ruleset.tables.delete(name);
      ruleset.table(name);
      continue;
    }
    if (table === undefined) throw failed(n);
    if (skipping) continue;
    if (line.startsWith(':')) {
      const [chain, policy, counts] = line.slice(1).split(/[ \t]+/);
      if (!chain) throw parameter(`${program}: line ${n} chain name invalid\n`, n);
      if (chain.length > 28) throw parameter(`Invalid chain name \`${chain}' (28 chars max)`, n);
      if (!policy) throw parameter(`${program}: line ${n} policy invalid\n`, n);
      const t = ruleset.table(table);
      const existing = t.chains.get(chain);
      if (existing?.builtin) {
        let packets = existing.packets;
        let bytes = existing.bytes;
        if (options.counters) {
          const m = /^\[(\d+):(\d+)\]$/.exec(counts ?? '');
          if (!m) throw parameter(`invalid policy counters for chain '${chain}'\n`, n);
          packets = Number(m[1]);
          bytes = Number(m[2]);
        }
        if (policy !== 'ACCEPT' && policy !== 'DROP') {
          throw new RestoreError(`${program} ${version}: Can't set policy \`${policy}' on \`${chain}' line ${n}: Bad policy name\n`, XT_EXIT.other);
        }
        existing.policy = policy;
        existing.packets = packets;
        existing.bytes = bytes;
      } else if (existing) existing.rules = [];
      else {
        try {
          ruleset.execute(parseCommand(['-N', chain], { table }));
        } catch (error) {
          if (error instanceof ParameterProblem) throw parameter(error.message, n);
          throw failed(n, error instanceof Error ? error.message : String(error));
        }
      }
      continue;
    }
    let rest = line;
    let counters: string[] = [];
    if (rest.startsWith('[')) {
      const m = /^\[([^:\]]*):([^\]]*)\]/.exec(rest);
      if (!rest.includes(']')) throw parameter(`Bad line ${n}: need ]`, n);
      if (!m) throw parameter(`Bad line ${n}: need :`, n);
      rest = rest.slice(m[0].length);
      if (options.counters) counters = ['-c', m[1]!, m[2]!];
    }
    try {
      const args = splitRuleLine(rest);
      const cmd = parseCommand([...args, ...counters], { table, restoreLine: n, program, family: ruleset.family });
      if (cmd.command === undefined) throw new ParameterProblem('no command specified');
      ruleset.execute(cmd);
    } catch (error) {
      if (error instanceof ParameterProblem) throw parameter(error.message, n);
      if (error instanceof RulesetError) throw failed(n, error.message);
      if (error instanceof VersionProblem) throw failed(n, error.message);
      throw error;
    }
  }
  if (table !== undefined) throw new RestoreError(`${program}: COMMIT expected at line ${n + 1}\n`, XT_EXIT.other);
}
