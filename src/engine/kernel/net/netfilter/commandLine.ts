/**
 * An iptables command line as iptables 1.8.9's do_parse reads it (xshared.c), for iptables itself and for
 * each rule line of iptables-restore: getopt's short clusters (`-nvL`, `-tnat`) and long options
 * (`--dport=80`), "!" before what it inverts, one command (-A -C -D -I -R -L -S -F -Z -N -X -P -E, -L
 * with -Z allowed) with its chain and rule number, the rule specification (-s/-d with comma lists that
 * make one rule each, -p, -i/-o, -m loading a match, -j/-g), each extension option going to the newest
 * extension that knows it and, failing that, to the match named after the protocol (`-p tcp --dport
 * 80` loads tcp), and the options -n -v -x --line-numbers -c -w -W -t. Errors are libxtables' words.
 *
 * Left out: abbreviated long options, -f, --modprobe's effect, host names (only dotted quads), rule
 * ranges, ip6tables' address syntax.
 */
import { MATCHES } from './matches.ts';
import { parseAddress, prefixMask, PROTOCOLS, type AddressSpec, type ExtensionBuilder, type InterfaceSpec, type Match, type Rule, type RuleIp, type RuleTarget, type Target } from './rule.ts';
import { TARGETS } from './targets.ts';
import { ParameterProblem } from './xtablesError.ts';

/** The commands, by their short letter. */
export type CommandLetter = 'A' | 'C' | 'D' | 'I' | 'R' | 'L' | 'S' | 'F' | 'Z' | 'N' | 'X' | 'P' | 'E';

/** A parsed command line. */
export interface ParsedCommand {
  /** The command; undefined for -h and -V (see `help` and `version`). */
  readonly command?: CommandLetter;
  /** -L given with -Z: list, then zero. */
  readonly zero: boolean;
  readonly help: boolean;
  readonly version: boolean;
  readonly table: string;
  readonly chain?: string;
  readonly ruleNumber?: number;
  /** -E's new name, -P's policy. */
  readonly argument?: string;
  /** The rules of -A -C -D -I -R (several when -s or -d list addresses); empty for -D by number. */
  readonly rules: readonly Rule[];
  readonly numeric: boolean;
  readonly verbose: boolean;
  readonly exact: boolean;
  readonly lineNumbers: boolean;
}

/** How the line is read. */
export interface ParseOptions {
  /** The table when -t is not given (iptables-restore's current table). */
  readonly table?: string;
  /** A rule line of iptables-restore (which refuses -t), at this line. */
  readonly restoreLine?: number;
  readonly program?: string;
  /** 6 for ip6tables (whose rules take no addresses here). */
  readonly family?: 4 | 6;
}

type OptionKind = 'none' | 'required' | 'optional';

/** The core options: short letter, long names, argument. */
const CORE: ReadonlyArray<readonly [string, readonly string[], OptionKind]> = [
  ['A', ['append'], 'required'],
  ['C', ['check'], 'required'],
  ['D', ['delete'], 'required'],
  ['I', ['insert'], 'required'],
  ['R', ['replace'], 'required'],
  ['L', ['list'], 'optional'],
  ['S', ['list-rules'], 'optional'],
  ['F', ['flush'], 'optional'],
  ['Z', ['zero'], 'optional'],
  ['N', ['new-chain', 'new'], 'required'],
  ['X', ['delete-chain'], 'optional'],
  ['P', ['policy'], 'required'],
  ['E', ['rename-chain'], 'required'],
  ['h', ['help'], 'none'],
  ['V', ['version'], 'none'],
  ['p', ['protocol'], 'required'],
  ['s', ['source', 'src'], 'required'],
  ['d', ['destination', 'dst'], 'required'],
  ['i', ['in-interface'], 'required'],
  ['o', ['out-interface'], 'required'],
  ['j', ['jump'], 'required'],
  ['g', ['goto'], 'required'],
  ['m', ['match'], 'required'],
  ['n', ['numeric'], 'none'],
  ['v', ['verbose'], 'none'],
  ['x', ['exact'], 'none'],
  ['t', ['table'], 'required'],
  ['c', ['set-counters'], 'required'],
  ['w', ['wait'], 'optional'],
  ['W', ['wait-interval'], 'required'],
  ['4', ['ipv4'], 'none'],
  ['6', ['ipv6'], 'none'],
  ['0', ['line-numbers'], 'none'],
  ['M', ['modprobe'], 'required'],
];

const RULE_OPTIONS = new Set('psdijgm');
const STANDARD_TARGETS = new Set(['ACCEPT', 'DROP', 'RETURN']);

/** parse_rulenumber: 1 or more. */
function ruleNumber(text: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || Number(text) > 0x7fffffff) throw new ParameterProblem(`Invalid rule number \`${text}'`);
  return Number(text);
}

/** xtables_ipparse_multiple: ADDR[/MASK][,ADDR[/MASK]…]. */
function parseAddresses(text: string, invert: boolean): AddressSpec[] {
  return text.split(',').map((item) => {
    const slash = item.indexOf('/');
    const host = slash < 0 ? item : item.slice(0, slash);
    let mask = 0xffffffff;
    if (slash >= 0) {
      const m = item.slice(slash + 1);
      if (/^[0-9]+$/.test(m)) {
        if (Number(m) > 32) throw new ParameterProblem(`invalid mask \`${m}' specified`);
        mask = prefixMask(Number(m));
      } else {
        const dotted = parseAddress(m);
        if (Number.isNaN(dotted)) throw new ParameterProblem(`invalid mask \`${m}' specified`);
        mask = dotted;
      }
    }
    const address = host === 'any' ? 0 : parseAddress(host);
    if (Number.isNaN(address)) throw new ParameterProblem(`host/network \`${host}' not found`);
    return { address: (address & mask) >>> 0, mask, invert };
  });
}

/** xtables_parse_protocol. */
function parseProtocol(text: string): number {
  const lower = text.toLowerCase();
  for (const [n, name] of PROTOCOLS) if (name === lower) return n;
  if (/^[0-9]+$/.test(text) && Number(text) <= 255) return Number(text);
  throw new ParameterProblem(`unknown protocol "${text}" specified`);
}

function parseInterface(text: string, invert: boolean): InterfaceSpec {
  if (text.length > 15) throw new ParameterProblem(`interface name \`${text}' must be shorter than 16 characters`);
  return { name: text, invert };
}

/** Read `args` (without the program name). */
export function parseCommand(args: readonly string[], options: ParseOptions = {}): ParsedCommand {
  let command: CommandLetter | undefined;
  let zero = false;
  let help = false;
  let version = false;
  let table = options.table ?? 'filter';
  let tableGiven = false;
  let chain: string | undefined;
  let number: number | undefined;
  let argument: string | undefined;
  let numeric = false;
  let verbose = false;
  let exact = false;
  let lineNumbers = false;
  let counters: { packets: number; bytes: number } | undefined;
  let sources: AddressSpec[] | undefined;
  let destinations: AddressSpec[] | undefined;
  let inInterface: InterfaceSpec | undefined;
  let outInterface: InterfaceSpec | undefined;
  let protocol = 0;
  let protocolInvert = false;
  let protocolGiven = false;
  let jump: { name: string; goto: boolean } | undefined;
  let target: { name: string; builder: ExtensionBuilder<Target> } | undefined;
  const matches: Array<{ name: string; builder: ExtensionBuilder<Match> }> = [];
  const given = new Set<string>();
  let invert = false;
  let i = 0;

  const hasArg = () => i < args.length && !args[i]!.startsWith('-') && !args[i]!.startsWith('!');
  const setCommand = (letter: string) => {
    if (invert) throw new ParameterProblem("unexpected '!' flag");
    if (letter === 'L' && command === 'Z' && chain === undefined) {
      command = 'L';
      zero = true;
    } else if (command !== undefined) throw new ParameterProblem(`Cannot use -${letter} with -${command}`);
    else command = letter as CommandLetter;
  };
  const once = (letter: string) => {
    if (given.has(letter)) throw new ParameterProblem(`multiple -${letter} flags not allowed`);
    given.add(letter);
  };
  const takeInvert = (letter: string, allowed: boolean) => {
    const was = invert;
    invert = false;
    if (was && !allowed) throw new ParameterProblem(`cannot have ! before -${letter}`);
    return was;
  };

  const core = (letter: string, value: string | undefined): void => {
    switch (letter) {
      case 'A':
      case 'C':
      case 'N':
        setCommand(letter);
        chain = value;
        return;
      case 'D':
        setCommand(letter);
        chain = value;
        if (hasArg()) number = ruleNumber(args[i++]!);
        return;
      case 'I':
        setCommand(letter);
        chain = value;
        number = hasArg() ? ruleNumber(args[i++]!) : 1;
        return;
      case 'R':
        setCommand(letter);
        chain = value;
        if (!hasArg()) throw new ParameterProblem('-R requires a rule number');
        number = ruleNumber(args[i++]!);
        return;
      case 'L':
      case 'S':
      case 'Z':
        if (letter === 'Z' && command === 'L') {
          zero = true;
          if (value !== undefined) throw new ParameterProblem(`Bad argument \`${value}'`);
          return;
        }
        setCommand(letter);
        if (letter === 'Z' && command !== 'Z') return;
        chain = value;
        if (chain !== undefined && hasArg()) number = ruleNumber(args[i++]!);
        return;
      case 'F':
      case 'X':
        setCommand(letter);
        chain = value;
        return;
      case 'P':
        setCommand(letter);
        chain = value;
        if (!hasArg()) throw new ParameterProblem('-P requires a chain and a policy');
        argument = args[i++]!;
        return;
      case 'E':
        setCommand(letter);
        chain = value;
        if (!hasArg()) throw new ParameterProblem('-E requires old-chain-name and new-chain-name');
        argument = args[i++]!;
        return;
      case 'h':
        help = true;
        return;
      case 'V':
        version = true;
        return;
      case 'p': {
        once('p');
        protocolInvert = takeInvert('p', true);
        protocol = parseProtocol(value!);
        protocolGiven = true;
        return;
      }
      case 's':
        once('s');
        if (options.family === 6) throw new ParameterProblem(`host/network \`${value}' not found`);
        sources = parseAddresses(value!, takeInvert('s', true));
        return;
      case 'd':
        once('d');
        if (options.family === 6) throw new ParameterProblem(`host/network \`${value}' not found`);
        destinations = parseAddresses(value!, takeInvert('d', true));
        return;
      case 'i':
        once('i');
        inInterface = parseInterface(value!, takeInvert('i', true));
        return;
      case 'o':
        once('o');
        outInterface = parseInterface(value!, takeInvert('o', true));
        return;
      case 'j':
      case 'g': {
        once('j');
        takeInvert(letter, false);
        const name = value!;
        if (name.length === 0) throw new ParameterProblem('Invalid target name (too short)');
        if (name.length > 28) throw new ParameterProblem(`Invalid target name \`${name}' (28 chars max)`);
        if (/\s/.test(name)) throw new ParameterProblem(`Invalid target name \`${name}'`);
        const ext = letter === 'j' ? TARGETS.get(name) : undefined;
        if (ext) target = { name, builder: ext.create() };
        else jump = { name, goto: letter === 'g' };
        return;
      }
      case 'm': {
        if (takeInvert('m', true)) throw new ParameterProblem('unexpected ! flag before --match');
        const ext = MATCHES.get(value!);
        if (!ext) throw new ParameterProblem(`Couldn't load match \`${value}':No such file or directory\n`);
        matches.push({ name: value!, builder: ext.create() });
        return;
      }
      case 'n':
        numeric = true;
        return;
      case 'v':
        verbose = true;
        return;
      case 'x':
        exact = true;
        return;
      case '0':
        lineNumbers = true;
        return;
      case 't':
        if (options.restoreLine !== undefined) {
          throw new ParameterProblem(`The -t option (seen in line ${options.restoreLine}) cannot be used in ${options.program ?? 'iptables-restore'}.\n`);
        }
        if (takeInvert('t', false) || tableGiven) throw new ParameterProblem('unexpected ! flag before --table');
        table = value!;
        tableGiven = true;
        return;
      case 'c': {
        const bytes = hasArg() ? args[i++]! : undefined;
        if (bytes === undefined || !/^[0-9]+$/.test(value!) || !/^[0-9]+$/.test(bytes)) throw new ParameterProblem('-c requires packet and byte counter');
        counters = { packets: Number(value), bytes: Number(bytes) };
        return;
      }
      case 'w':
      case 'W':
      case 'M':
        return;
      case '4':
        if (options.family === 6) throw new ParameterProblem('This is the IPv6 version of ip6tables.');
        return;
      case '6':
        if (options.family !== 6) throw new ParameterProblem('This is the IPv4 version of iptables.');
        return;
      default:
        return;
    }
  };

  /** An extension option: the target first, then the matches from the newest, then the protocol's match. */
  const extensionOption = (name: string, inline: string | undefined, shown: string): void => {
    const owners: Array<ExtensionBuilder<Match> | ExtensionBuilder<Target>> = [...(target ? [target.builder] : []), ...matches.map((m) => m.builder).reverse()];
    for (const builder of owners) {
      const opt = builder.options.find((o) => o.name === name);
      if (!opt) continue;
      let value = inline;
      if (opt.arg && value === undefined) {
        if (i >= args.length) throw new ParameterProblem(`option "${shown}" requires an argument`);
        value = args[i++];
      }
      const inv = invert;
      invert = false;
      builder.parse(name, value, inv);
      return;
    }
    const protoName = PROTOCOLS.get(protocol);
    if (protocolGiven && !protocolInvert && protoName && MATCHES.has(protoName) && !matches.some((m) => m.name === protoName)) {
      matches.push({ name: protoName, builder: MATCHES.get(protoName)!.create() });
      extensionOption(name, inline, shown);
      return;
    }
    throw new ParameterProblem(`unknown option "${shown}"`);
  };

  while (i < args.length) {
    const arg = args[i++]!;
    if (arg === '!') {
      if (invert) throw new ParameterProblem("multiple consecutive ! not allowed");
      invert = true;
      continue;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const inline = eq < 0 ? undefined : arg.slice(eq + 1);
      const entry = CORE.find(([, longs]) => longs.includes(name));
      if (!entry) {
        extensionOption(name, inline, eq < 0 ? arg : arg.slice(0, eq));
        continue;
      }
      const [letter, , kind] = entry;
      let value = inline;
      if (kind === 'required' && value === undefined) {
        if (i >= args.length) throw new ParameterProblem(`option "--${name}" requires an argument`);
        value = args[i++];
      } else if (kind === 'optional' && value === undefined && hasArg()) value = args[i++];
      core(letter, value);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let k = 1; k < arg.length; k++) {
        const letter = arg[k]!;
        const entry = CORE.find(([l]) => l === letter && l !== '0' && l !== 'M');
        if (!entry) throw new ParameterProblem(`unknown option "-${letter}"`);
        const kind = entry[2];
        let value: string | undefined;
        if (kind === 'required') {
          value = arg.slice(k + 1);
          if (value === '') {
            if (i >= args.length) throw new ParameterProblem(`option "-${letter}" requires an argument`);
            value = args[i++];
          }
          k = arg.length;
        } else if (kind === 'optional') {
          const rest = arg.slice(k + 1);
          if (rest !== '' && letter !== 'w') {
            value = rest;
            k = arg.length;
          } else if (rest === '' && hasArg()) value = args[i++];
          if (letter === 'w' && rest !== '') k = arg.length;
        }
        core(letter, value);
      }
      continue;
    }
    throw new ParameterProblem(`Bad argument \`${arg}'`);
  }

  if (help || version) return { command, zero, help, version, table, chain, ruleNumber: number, argument, rules: [], numeric, verbose, exact, lineNumbers };
  if (command === undefined) throw new ParameterProblem('no command specified');
  const ruleCommand = 'ACDIR'.includes(command) && !(command === 'D' && number !== undefined);
  if (!ruleCommand) {
    for (const letter of given) {
      if (RULE_OPTIONS.has(letter)) throw new ParameterProblem(`Illegal option \`-${letter}' with this command\n`);
    }
    if (matches.length > 0 || target || jump) throw new ParameterProblem(`Illegal option \`-${target || jump ? 'j' : 'm'}' with this command\n`);
  }
  if (chain !== undefined && chain.length > 28 && 'ACDIRNEP'.includes(command)) {
    throw new ParameterProblem(`chain name \`${chain}' too long (must be under 29 chars)`);
  }

  const rules: Rule[] = [];
  if (ruleCommand) {
    const base: RuleIp = { protocol, protocolInvert };
    const finishedMatches = matches.map((m) => m.builder.finish(base));
    let ruleTarget: RuleTarget | undefined;
    if (target) ruleTarget = { kind: 'extension', name: target.name, target: target.builder.finish(base) };
    else if (jump && STANDARD_TARGETS.has(jump.name) && !jump.goto) ruleTarget = { kind: 'standard', name: jump.name as 'ACCEPT' | 'DROP' | 'RETURN' };
    else if (jump) ruleTarget = { kind: 'chain', name: jump.name, goto: jump.goto };
    for (const source of sources ?? [undefined]) {
      for (const destination of destinations ?? [undefined]) {
        const ip: RuleIp = { ...base, ...(source ? { source } : {}), ...(destination ? { destination } : {}), ...(inInterface ? { inInterface } : {}), ...(outInterface ? { outInterface } : {}) };
        rules.push({ ip, matches: finishedMatches, target: ruleTarget, packets: counters?.packets ?? 0, bytes: counters?.bytes ?? 0 });
      }
    }
  }
  return { command, zero, help, version, table, chain, ruleNumber: number, argument, rules, numeric, verbose, exact, lineNumbers };
}
