/**
 * Netfilter — one network namespace's iptables rule set (net/ipv4/netfilter/ip_tables.c, and nf_tables
 * as iptables-nft drives it), reached with `netfilterOf(netns)`: tables, chains and rules changed by
 * iptables commands (`execute`) and iptables-restore input (`restore`, restore.ts), printed by `list`,
 * `listRules` and `save` (save.ts), and walked by `evaluate` for a connection's first packet:
 * ipt_do_table's traversal with jumps, gotos, RETURN and policies, counting every rule that matches
 * and every policy that decides.
 *
 * The legacy backend (`netfilterOf(netns, 'legacy')`, what iptables-legacy changes) is a separate rule
 * set, as x_tables and nf_tables are in the kernel; ip6tables' rule sets (family 6) are separate too.
 *
 * Left out: conntrack (every evaluated packet is a first one unless the caller says otherwise; NAT
 * bindings are the caller's to keep), the hook checks of targets, evaluation of raw, mangle and
 * security in the packet path (the caller picks what it evaluates), the legacy rule sets' effect.
 */
import type { NetNamespace } from '../../ns/netNamespace.ts';
import type { ParsedCommand } from './commandLine.ts';
import { listChains, listRules, type ListFormat } from './list.ts';
import { restoreRuleset, type RestoreOptions } from './restore.ts';
import { ipMatches, ruleSpec, type Packet, type PacketState, type RecentTables, type Rule } from './rule.ts';
import { saveRuleset, type SaveOptions } from './save.ts';
import { isTableName, Table, TABLES, type Chain } from './table.ts';
import { BAD_RULE_TEXT, ENOENT_TEXT, ParameterProblem, RulesetError, VersionProblem } from './xtablesError.ts';

/** Which kernel backend a rule set belongs to, as iptables' version string names it. */
export type Backend = 'nf_tables' | 'legacy';

/** The iptables release these tools are (Debian bookworm's). */
export const IPTABLES_VERSION = '1.8.9';

/** What a table's traversal decided for a packet. */
export interface Verdict {
  readonly verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  /** REJECT's --reject-with. */
  readonly rejectWith?: string;
  /** DNAT's new destination (the port is the packet's own when the target gave none). */
  readonly dnat?: { readonly address: string; readonly port: number };
  /** SNAT's new source, or MASQUERADE (the caller picks the outgoing interface's address). */
  readonly snat?: { readonly address?: string; readonly port?: number; readonly masquerade: boolean };
  /** skb->mark after the traversal. */
  readonly mark: number;
  /** The rules that matched, in order: chain and 1-based rule number. */
  readonly matched: ReadonlyArray<{ readonly chain: string; readonly rule: number }>;
}

/** The bytes counted for a packet that does not say its length: a SYN's 60. */
const DEFAULT_LENGTH = 60;
const EINVAL = "Invalid argument. Run `dmesg' for more information";

/** The tables of a rule set and the changes iptables makes to them. */
export class Ruleset {
  constructor(
    readonly backend: Backend,
    /** 4 for iptables, 6 for ip6tables. */
    readonly family: 4 | 6 = 4,
    /** Existing tables, in the order they came into being. */
    readonly tables = new Map<string, Table>(),
  ) {}

  clone(): Ruleset {
    return new Ruleset(this.backend, this.family, new Map([...this.tables].map(([name, t]) => [name, t.clone()])));
  }

  /** The table to change, created on first use; VersionProblem for a name iptables does not know. */
  table(name: string): Table {
    this.checkTable(name);
    let table = this.tables.get(name);
    if (!table) this.tables.set(name, (table = new Table(name)));
    return table;
  }

  /**
   * The table to read: the existing one, or (nf_tables) its empty built-in chains. x_tables loads a
   * table's module when it is first read, after which iptables-legacy-save shows it.
   */
  view(name: string): Table {
    if (this.backend === 'legacy') return this.table(name);
    this.checkTable(name);
    return this.tables.get(name) ?? new Table(name);
  }

  private checkTable(name: string): void {
    if (isTableName(name)) return;
    if (this.backend === 'legacy') throw new VersionProblem(`can't initialize iptables table \`${name}': Table does not exist (do you need to insmod?)`);
    throw new VersionProblem(`table '${name}' does not exist`);
  }

  /** The chain, or ENOENT's answer. */
  chain(table: Table, name: string | undefined): Chain {
    const chain = name === undefined ? undefined : table.chains.get(name);
    if (!chain) throw new RulesetError(ENOENT_TEXT);
    return chain;
  }

  /** A rule about to go into `chain`: its jump target must exist, its target suit the table, and no loop form. */
  private checkRule(table: Table, chain: Chain, rule: Rule): void {
    const target = rule.target;
    if (target?.kind === 'chain') {
      const to = table.chains.get(target.name);
      if (!to || to.builtin) {
        if (this.backend === 'legacy' || to?.builtin) throw new ParameterProblem(`Couldn't load target \`${target.name}':No such file or directory\n`);
        throw new ParameterProblem(`Chain '${target.name}' does not exist`);
      }
      if (this.reaches(table, target.name, chain.name)) throw new RulesetError('Too many levels of symbolic links');
    }
    if (target?.kind === 'extension' && target.target.tables && !target.target.tables.includes(table.name)) throw new RulesetError(EINVAL);
  }

  /** Whether jumps from `from` lead (through any rules) to `to`. */
  private reaches(table: Table, from: string, to: string, seen = new Set<string>()): boolean {
    if (from === to) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    for (const rule of table.chains.get(from)?.rules ?? []) {
      if (rule.target?.kind === 'chain' && this.reaches(table, rule.target.name, to, seen)) return true;
    }
    return false;
  }

  /** Index of the first rule equal to `rule`, or -1. */
  private find(chain: Chain, rule: Rule): number {
    const spec = ruleSpec(rule);
    return chain.rules.findIndex((r) => ruleSpec(r) === spec);
  }

  /**
   * Run a parsed command (not -h/-V); the listing it prints for -L and -S, else ''. Throws
   * ParameterProblem, VersionProblem or RulesetError as iptables fails.
   */
  execute(cmd: ParsedCommand, format: Omit<ListFormat, 'numeric' | 'verbose' | 'exact' | 'lineNumbers'> = {}): string {
    const name = cmd.table;
    switch (cmd.command) {
      case 'L':
      case 'S': {
        const table = this.view(name);
        const chains = cmd.chain === undefined ? table.ordered() : [this.chain(table, cmd.chain)];
        if (cmd.ruleNumber !== undefined && cmd.ruleNumber > chains[0]!.rules.length) throw new RulesetError('Index of deletion too big');
        const out =
          cmd.command === 'L'
            ? listChains(table, chains, { ...format, family: this.family, numeric: cmd.numeric, verbose: cmd.verbose, exact: cmd.exact, lineNumbers: cmd.lineNumbers }, cmd.ruleNumber)
            : listRules(chains, cmd.verbose, cmd.ruleNumber);
        if (cmd.zero) for (const chain of chains) zeroChain(chain);
        return out;
      }
      case 'Z': {
        const table = this.view(name);
        if (cmd.chain === undefined) for (const chain of table.chains.values()) zeroChain(chain);
        else {
          const chain = this.chain(table, cmd.chain);
          if (cmd.ruleNumber !== undefined) {
            const rule = chain.rules[cmd.ruleNumber - 1];
            if (!rule) throw new RulesetError('Index of deletion too big');
            rule.packets = rule.bytes = 0;
          } else zeroChain(chain);
        }
        return '';
      }
      case 'A':
      case 'I':
      case 'R':
      case 'D':
      case 'C':
        return this.ruleCommand(cmd);
      case 'F': {
        const table = this.view(name);
        if (cmd.chain === undefined) for (const chain of table.chains.values()) chain.rules = [];
        else this.chain(table, cmd.chain).rules = [];
        return '';
      }
      case 'N': {
        const chainName = cmd.chain!;
        checkChainName(chainName);
        const table = this.table(name);
        if (table.chains.has(chainName)) throw new RulesetError('Chain already exists');
        table.chains.set(chainName, { name: chainName, builtin: false, policy: 'ACCEPT', packets: 0, bytes: 0, rules: [] });
        return '';
      }
      case 'X': {
        const table = this.view(name);
        const targets = cmd.chain === undefined ? table.ordered().filter((c) => !c.builtin) : [this.chain(table, cmd.chain)];
        for (const chain of targets) {
          if (chain.builtin) throw new RulesetError("Can't delete built-in chain");
          if (table.references(chain.name) > 0 && !(cmd.chain === undefined && this.onlyReferencedBy(table, chain.name, targets))) throw new RulesetError('Too many links');
          if (cmd.chain !== undefined && chain.rules.length > 0) throw new RulesetError('Directory not empty');
        }
        for (const chain of targets) table.chains.delete(chain.name);
        return '';
      }
      case 'P': {
        const table = this.table(name);
        const chain = this.chain(table, cmd.chain);
        if (!chain.builtin) throw new RulesetError('Bad built-in chain name');
        if (cmd.argument !== 'ACCEPT' && cmd.argument !== 'DROP') throw new RulesetError('Bad policy name');
        chain.policy = cmd.argument;
        return '';
      }
      case 'E': {
        const table = this.table(name);
        const chain = this.chain(table, cmd.chain);
        const to = cmd.argument!;
        checkChainName(to);
        if (table.chains.has(to)) throw new RulesetError('File exists');
        if (chain.builtin) throw new RulesetError(EINVAL);
        table.chains.delete(chain.name);
        chain.name = to;
        table.chains.set(to, chain);
        for (const c of table.chains.values()) {
          c.rules = c.rules.map((r) => (r.target?.kind === 'chain' && r.target.name === cmd.chain ? { ...r, target: { ...r.target, name: to } } : r));
        }
        return '';
      }
      default:
        throw new ParameterProblem('no command specified');
    }
  }

  /** Whether every rule jumping to `name` sits in one of `chains` (all deleted together by -X). */
  private onlyReferencedBy(table: Table, name: string, chains: readonly Chain[]): boolean {
    for (const c of table.chains.values()) {
      if (chains.includes(c)) continue;
      if (c.rules.some((r) => r.target?.kind === 'chain' && r.target.name === name)) return false;
    }
    return true;
  }

  private ruleCommand(cmd: ParsedCommand): string {
    const table = cmd.command === 'C' || cmd.command === 'D' ? this.view(cmd.table) : this.table(cmd.table);
    if (cmd.command === 'C' && !table.chains.has(cmd.chain ?? '')) throw new RulesetError(BAD_RULE_TEXT);
    const chain = this.chain(table, cmd.chain);
    switch (cmd.command) {
      case 'A':
        for (const rule of cmd.rules) {
          this.checkRule(table, chain, rule);
          chain.rules.push(rule);
        }
        return '';
      case 'I': {
        const at = cmd.ruleNumber! - 1;
        if (at > chain.rules.length) throw new RulesetError('Index of insertion too big');
        for (const rule of cmd.rules) this.checkRule(table, chain, rule);
        chain.rules.splice(at, 0, ...cmd.rules);
        return '';
      }
      case 'R': {
        const at = cmd.ruleNumber! - 1;
        if (at >= chain.rules.length) throw new RulesetError('Index of replacement too big');
        if (cmd.rules.length !== 1) throw new ParameterProblem('-R requires a single source and destination');
        this.checkRule(table, chain, cmd.rules[0]!);
        chain.rules[at] = cmd.rules[0]!;
        return '';
      }
      case 'D': {
        if (cmd.ruleNumber !== undefined) {
          if (cmd.ruleNumber > chain.rules.length) throw new RulesetError('Index of deletion too big');
          chain.rules.splice(cmd.ruleNumber - 1, 1);
          return '';
        }
        for (const rule of cmd.rules) {
          const at = this.find(chain, rule);
          if (at < 0) throw new RulesetError(BAD_RULE_TEXT);
          chain.rules.splice(at, 1);
        }
        return '';
      }
      default:
        for (const rule of cmd.rules) if (this.find(chain, rule) < 0) throw new RulesetError(BAD_RULE_TEXT);
        return '';
    }
  }
}

function zeroChain(chain: Chain): void {
  chain.packets = chain.bytes = 0;
  for (const rule of chain.rules) rule.packets = rule.bytes = 0;
}

/** assert_valid_chain_name. */
function checkChainName(name: string): void {
  if (name.length > 28) throw new ParameterProblem(`chain name \`${name}' too long (must be under 29 chars)`);
  if (name.startsWith('-') || name.startsWith('!')) throw new ParameterProblem(`chain name not allowed to start with \`${name[0]}'`);
  if (['ACCEPT', 'DROP', 'RETURN', 'DNAT', 'SNAT', 'MASQUERADE', 'MARK', 'REJECT', 'LOG'].includes(name)) throw new ParameterProblem('chain name may not clash with target name');
  if (/\s/.test(name)) throw new ParameterProblem(`Invalid chain name \`${name}'`);
}

/** One namespace's rule set of one backend. */
export class Netfilter {
  private ruleset: Ruleset;
  /** xt_recent's lists: they belong to the namespace, not to a rule, so a restore keeps them. */
  private readonly recent: RecentTables = new Map();

  constructor(
    readonly backend: Backend = 'nf_tables',
    readonly family: 4 | 6 = 4,
  ) {
    this.ruleset = new Ruleset(backend, family);
  }

  /** The current tables (read them; change them through execute and restore). */
  get rules(): Ruleset {
    return this.ruleset;
  }

  /** Run one parsed iptables command; see Ruleset.execute. Nothing changes when it throws. */
  execute(cmd: ParsedCommand, format?: Omit<ListFormat, 'numeric' | 'verbose' | 'exact' | 'lineNumbers'>): string {
    const work = this.ruleset.clone();
    const out = work.execute(cmd, format);
    this.ruleset = work;
    return out;
  }

  /**
   * Apply iptables-restore input as a whole: on any error nothing changes and an Error whose message is
   * iptables-restore's output (and `status` its exit code) is thrown.
   */
  restore(text: string, options: RestoreOptions = {}): void {
    const work = this.ruleset.clone();
    restoreRuleset(work, text, options);
    this.ruleset = work;
  }

  /** iptables-restore --test: throw as `restore` would, changing nothing either way. */
  check(text: string, options: RestoreOptions = {}): void {
    restoreRuleset(this.ruleset.clone(), text, options);
  }

  /** iptables-save's output (`now`: epoch ms, or the ctime text to print). */
  save(options: SaveOptions): string {
    return saveRuleset(this.ruleset, options);
  }

  /**
   * Walk `hook`'s chain of `table` for a connection's first packet (ipt_do_table), counting the rules that
   * match and the policy when it decides. A table nothing created accepts everything, counting nothing.
   */
  evaluate(table: 'nat' | 'filter' | 'mangle' | 'raw', hook: string, packet: Packet, random: () => number): Verdict {
    const state: PacketState = { packet, mark: packet.mark ?? 0, random, recent: this.recent };
    const matched: Array<{ chain: string; rule: number }> = [];
    const done = (verdict: Omit<Verdict, 'mark' | 'matched'>): Verdict => ({ ...verdict, mark: state.mark, matched });
    const t = this.ruleset.tables.get(table);
    const base = t?.chains.get(hook);
    if (!t || !base?.builtin) return done({ verdict: 'ACCEPT' });
    const length = packet.length ?? DEFAULT_LENGTH;
    const policy = (): Verdict => {
      base.packets++;
      base.bytes += length;
      return done({ verdict: base.policy });
    };
    const stack: Array<{ chain: Chain; next: number }> = [];
    let chain = base;
    let next = 0;
    for (;;) {
      const rule = chain.rules[next++];
      if (!rule) {
        const back = stack.pop();
        if (!back) return policy();
        ({ chain, next } = back);
        continue;
      }
      if (!ipMatches(rule.ip, packet) || !rule.matches.every((m) => m.matches(state))) continue;
      rule.packets++;
      rule.bytes += length;
      matched.push({ chain: chain.name, rule: next });
      const target = rule.target;
      if (!target) continue;
      if (target.kind === 'standard') {
        if (target.name !== 'RETURN') return done({ verdict: target.name });
        const back = stack.pop();
        if (!back) return policy();
        ({ chain, next } = back);
        continue;
      }
      if (target.kind === 'chain') {
        const to = t.chains.get(target.name);
        if (!to) continue;
        if (!target.goto) stack.push({ chain, next });
        chain = to;
        next = 0;
        continue;
      }
      const result = target.target.apply(state);
      switch (result.kind) {
        case 'continue':
          continue;
        case 'accept':
          return done({ verdict: 'ACCEPT' });
        case 'drop':
          return done({ verdict: 'DROP' });
        case 'reject':
          return done({ verdict: 'REJECT', rejectWith: result.with });
        case 'dnat':
          return done({ verdict: 'ACCEPT', dnat: { address: result.address, port: result.port ?? packet.dport } });
        case 'snat':
          return done({ verdict: 'ACCEPT', snat: { address: result.address, ...(result.port !== undefined ? { port: result.port } : {}), masquerade: false } });
        case 'masquerade':
          return done({ verdict: 'ACCEPT', snat: { ...(result.port !== undefined ? { port: result.port } : {}), masquerade: true } });
      }
    }
  }
}

const rulesets = new Map<string, WeakMap<NetNamespace, Netfilter>>();

/**
 * The rule set of `netns`: nf_tables' by default, 'legacy' for what iptables-legacy changes; family 6 for
 * ip6tables' (whose rules hold no addresses here).
 */
export function netfilterOf(netns: NetNamespace, backend: Backend = 'nf_tables', family: 4 | 6 = 4): Netfilter {
  const key = `${backend}/${family}`;
  let map = rulesets.get(key);
  if (!map) rulesets.set(key, (map = new WeakMap()));
  let netfilter = map.get(netns);
  if (!netfilter) map.set(netns, (netfilter = new Netfilter(backend, family)));
  return netfilter;
}

/** The table names, for help texts and completion. */
export const TABLE_NAMES: readonly string[] = TABLES.map(([name]) => name);
