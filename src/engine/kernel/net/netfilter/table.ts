/**
 * The tables of one rule set (per network namespace and backend): filter (INPUT, FORWARD, OUTPUT), nat
 * (PREROUTING, INPUT, OUTPUT, POSTROUTING), mangle (all five hooks), raw (PREROUTING, OUTPUT) and security
 * (INPUT, FORWARD, OUTPUT), each with its built-in chains (policy ACCEPT, with the policy's counters) and
 * user chains. A table comes into being the first time something changes it, as nf_tables tables do;
 * until then listing shows its built-in chains empty and iptables-save leaves it out.
 *
 * Left out: deleting a table (nft delete table), tables of other families (arp, bridge).
 */
import type { Rule } from './rule.ts';

/** The tables and their built-in chains, in nf_tables' table order (iptables-nft-save prints them so). */
export const TABLES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['mangle', ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']],
  ['security', ['INPUT', 'FORWARD', 'OUTPUT']],
  ['raw', ['PREROUTING', 'OUTPUT']],
  ['filter', ['INPUT', 'FORWARD', 'OUTPUT']],
  ['nat', ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']],
];

/** One chain. A built-in chain has a policy and counts the packets the policy decided. */
export interface Chain {
  name: string;
  readonly builtin: boolean;
  policy: 'ACCEPT' | 'DROP';
  packets: number;
  bytes: number;
  rules: Rule[];
}

/** One table: its chains, built-ins first in hook order, then user chains. */
export class Table {
  readonly chains = new Map<string, Chain>();

  constructor(readonly name: string) {
    for (const chain of TABLES.find(([t]) => t === name)?.[1] ?? []) {
      this.chains.set(chain, { name: chain, builtin: true, policy: 'ACCEPT', packets: 0, bytes: 0, rules: [] });
    }
  }

  /** The chains in listing order: built-ins in hook order, then user chains sorted by name. */
  ordered(): Chain[] {
    const all = [...this.chains.values()];
    const user = all.filter((c) => !c.builtin).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return [...all.filter((c) => c.builtin), ...user];
  }

  /** How many rules of the table jump or go to `chain`. */
  references(chain: string): number {
    let n = 0;
    for (const c of this.chains.values()) for (const rule of c.rules) if (rule.target?.kind === 'chain' && rule.target.name === chain) n++;
    return n;
  }

  /** A copy whose chains and rule lists can change without touching this one (rules copied with their counters). */
  clone(): Table {
    const copy = new Table(this.name);
    copy.chains.clear();
    for (const [name, c] of this.chains) copy.chains.set(name, { ...c, rules: c.rules.map((r) => ({ ...r })) });
    return copy;
  }
}

/** Whether `name` is a table iptables knows. */
export function isTableName(name: string): boolean {
  return TABLES.some(([t]) => t === name);
}
