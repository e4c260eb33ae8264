/**
 * netfilter — iptables in the emulated kernel: per network namespace rule sets (`netfilterOf`) of the
 * nf_tables backend (what iptables, iptables-nft and kube-proxy's iptables-wrapper change) and the legacy
 * one, with the tables filter, nat, mangle, raw and security, user chains, rules with counters; changed
 * by parsed iptables command lines (commandLine.ts) and iptables-restore input (restore.ts), printed as
 * `iptables -L`/`-S` (list.ts) and iptables-save (save.ts) print them byte for byte (iptables 1.8.9,
 * Debian bookworm's), and evaluated for a connection's first packet (Netfilter.evaluate) with the matches
 * of matches.ts and the targets of targets.ts.
 *
 * Left out: ip6tables rules (ip6tables shows empty tables), nft syntax, the raw/mangle/security tables'
 * place in the packet path (they hold rules; only nat and filter are evaluated by the TCP code), ipset,
 * conntrack tools and conntrack state beyond a first packet's NEW, and the matches and targets not listed
 * in matches.ts and targets.ts.
 */
export { parseCommand, type CommandLetter, type ParsedCommand, type ParseOptions } from './commandLine.ts';
export { listChains, listRules, ruleEcho, ruleLine, type ListFormat } from './list.ts';
export { IPTABLES_VERSION, Netfilter, netfilterOf, Ruleset, TABLE_NAMES, type Backend, type Verdict } from './netfilter.ts';
export { RestoreError, splitRuleLine, type RestoreOptions } from './restore.ts';
export { ruleSpec, type Packet, type Rule, type ServiceNames } from './rule.ts';
export { ctime, type SaveOptions } from './save.ts';
export { isTableName, TABLES, type Chain, type Table } from './table.ts';
export { ParameterProblem, RulesetError, VersionProblem, XT_EXIT } from './xtablesError.ts';
