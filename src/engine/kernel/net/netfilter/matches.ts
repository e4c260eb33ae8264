/**
 * The match extensions (libxt_*.c with their kernel halves, xt_*.c): tcp and udp (--sport/--dport, a port
 * or range), comment, statistic (random with a probability kept in 2^-31 steps, as the kernel keeps it;
 * nth), mark, addrtype (--src-type/--dst-type), conntrack and its alias state (--ctstate), multiport
 * (--dports/--sports/--ports, up to 15 ports, a range counting two) and nfacct. Each parses its options,
 * prints itself for iptables-save and for `iptables -L` in libxtables' words, and matches a packet.
 *
 * Left out: the other extensions (loading one fails as a missing .so does), --tcp-flags/--syn/
 * --tcp-option, conntrack's options other than --ctstate, addrtype's --limit-iface-* effect, nfacct's
 * accounting objects (any name is taken, nothing is counted), service names for ports.
 */
import { badPort, flag, OptionSet, parsePort, parseU32, withArg } from './extensionOptions.ts';
import { intToIpv4, ipv4ToInt } from '../route.ts';
import { parseAddress, PROTOCOL_NUMBER, saveString, type Extension, type ExtensionBuilder, type Match, type PacketState, type RuleIp, type ServiceNames } from './rule.ts';
import { ParameterProblem, RulesetError } from './xtablesError.ts';

/** EINVAL from a match's checkentry. */
const EINVAL = 'Invalid argument. Run `dmesg\' for more information';

/** The port range a tcp/udp option gives. */
interface PortRange {
  readonly min: number;
  readonly max: number;
  readonly invert: boolean;
}

function parsePortRange(text: string, invert: boolean): PortRange {
  const colon = text.indexOf(':');
  if (colon < 0) {
    const port = parsePort(text);
    if (port === undefined) throw badPort(text);
    return { min: port, max: port, invert };
  }
  const lo = text.slice(0, colon) === '' ? 0 : parsePort(text.slice(0, colon));
  const hi = text.slice(colon + 1) === '' ? 65535 : parsePort(text.slice(colon + 1));
  if (lo === undefined) throw badPort(text.slice(0, colon));
  if (hi === undefined) throw badPort(text.slice(colon + 1));
  if (lo > hi) throw new ParameterProblem(`invalid portrange (min > max)`);
  return { min: lo, max: hi, invert };
}

function portName(port: number, protocol: string, numeric: boolean, services: ServiceNames): string {
  return (numeric ? undefined : services(port, protocol)) ?? String(port);
}

/** libxt_tcp/libxt_udp: --sport and --dport. */
class PortMatch implements Match {
  constructor(
    readonly name: 'tcp' | 'udp',
    private readonly sport: PortRange | undefined,
    private readonly dport: PortRange | undefined,
  ) {}

  save(): string {
    let out = '';
    for (const [option, range] of [['--sport', this.sport], ['--dport', this.dport]] as const) {
      if (!range) continue;
      out += `${range.invert ? ' !' : ''} ${option} ${range.min === range.max ? range.min : `${range.min}:${range.max}`}`;
    }
    return out;
  }

  print(numeric: boolean, services: ServiceNames): string {
    let out = ` ${this.name}`;
    for (const [label, range] of [['spt', this.sport], ['dpt', this.dport]] as const) {
      if (!range) continue;
      const inv = range.invert ? '!' : '';
      const name = (port: number) => portName(port, this.name, numeric, services);
      out += range.min === range.max ? ` ${label}:${inv}${name(range.min)}` : ` ${label}s:${inv}${name(range.min)}:${name(range.max)}`;
    }
    return out;
  }

  matches(state: PacketState): boolean {
    const { packet } = state;
    if (packet.protocol !== this.name) return false;
    const inRange = (range: PortRange | undefined, port: number) => !range || (port >= range.min && port <= range.max) !== range.invert;
    return inRange(this.sport, packet.sport) && inRange(this.dport, packet.dport);
  }
}

function portExtension(name: 'tcp' | 'udp'): Extension<Match> {
  return {
    name,
    create(): ExtensionBuilder<Match> {
      const set = new OptionSet(name, [withArg('sport'), withArg('source-port'), withArg('dport'), withArg('destination-port')], new Set(['sport', 'dport']));
      let sport: PortRange | undefined;
      let dport: PortRange | undefined;
      return {
        options: set.options,
        parse(option, value, invert) {
          const canonical = option === 'source-port' ? 'sport' : option === 'destination-port' ? 'dport' : option;
          set.take(canonical, invert);
          if (canonical === 'sport') sport = parsePortRange(value!, invert);
          else dport = parsePortRange(value!, invert);
        },
        finish(ip: RuleIp) {
          if (ip.protocol !== PROTOCOL_NUMBER[name] || ip.protocolInvert) throw new RulesetError(EINVAL);
          return new PortMatch(name, sport, dport);
        },
      };
    },
  };
}

/** libxt_comment. */
class CommentMatch implements Match {
  readonly name = 'comment';
  constructor(readonly comment: string) {}
  save(): string {
    return ` --comment${saveString(this.comment)}`;
  }
  print(): string {
    return ` /* ${this.comment} */`;
  }
  matches(): boolean {
    return true;
  }
}

const comment: Extension<Match> = {
  name: 'comment',
  create() {
    const set = new OptionSet('comment', [withArg('comment')]);
    let text = '';
    return {
      options: set.options,
      parse(option, value, invert) {
        set.take('comment', invert);
        if (value!.length > 255) throw new ParameterProblem(`comment: option "--comment" must be no longer than 255 characters\n`);
        text = value!;
      },
      finish() {
        set.require('comment');
        return new CommentMatch(text);
      },
    };
  },
};

/** libxt_statistic: random with a probability in 2^-31 steps, or every nth packet. */
class StatisticMatch implements Match {
  readonly name = 'statistic';
  private count = 0;
  constructor(
    private readonly mode: { kind: 'random'; probability: number } | { kind: 'nth'; every: number; packet: number },
    private readonly invert: boolean,
  ) {}

  private text(prefix: string): string {
    const inv = this.invert ? ' !' : '';
    if (this.mode.kind === 'random') return ` ${prefix}mode random${inv} ${prefix}probability ${(this.mode.probability / 0x80000000).toFixed(11)}`;
    const packet = this.mode.packet || prefix ? ` ${prefix}packet ${this.mode.packet}` : '';
    return ` ${prefix}mode nth${inv} ${prefix}every ${this.mode.every}${packet}`;
  }
  save(): string {
    return this.text('--');
  }
  print(): string {
    return ` statistic${this.text('')}`;
  }
  matches(state: PacketState): boolean {
    let hit: boolean;
    if (this.mode.kind === 'random') hit = Math.floor(state.random() * 0x80000000) < this.mode.probability;
    else {
      hit = this.count === this.mode.packet;
      this.count = (this.count + 1) % this.mode.every;
    }
    return hit !== this.invert;
  }
}

const statistic: Extension<Match> = {
  name: 'statistic',
  create() {
    const set = new OptionSet('statistic', [withArg('mode'), withArg('probability'), withArg('every'), withArg('packet')], new Set(['mode']));
    let mode: string | undefined;
    let invert = false;
    let probability = 0;
    let every = 0;
    let packet = 0;
    return {
      options: set.options,
      parse(option, value, inv) {
        set.take(option, inv);
        const v = value!;
        if (option === 'mode') {
          if (v !== 'random' && v !== 'nth') throw new ParameterProblem(`Bad mode "${v}"`);
          mode = v;
          invert = inv;
        } else if (option === 'probability') {
          const p = Number(v);
          if (v.trim() === '' || Number.isNaN(p) || p < 0 || p > 1) throw new ParameterProblem('probability must be between 0 and 1');
          probability = Math.round(0x80000000 * p);
        } else {
          const n = parseU32(v);
          if (n === undefined) throw new ParameterProblem(`statistic: bad value for option "--${option}", or out of range (0-4294967295).\n`);
          if (option === 'every') {
            if (n === 0) throw new ParameterProblem('--every must be larger than 0');
            every = n;
          } else packet = n;
        }
      },
      finish() {
        set.require('mode');
        if (mode === 'random') {
          if (set.has('every') || set.has('packet')) throw new ParameterProblem('--every and --packet can only be used with --mode nth');
          return new StatisticMatch({ kind: 'random', probability }, invert);
        }
        if (set.has('probability')) throw new ParameterProblem('--probability can only be used with --mode random');
        if (!set.has('every')) throw new ParameterProblem('--every must be specified with --mode nth');
        if (packet > every - 1) throw new ParameterProblem('--packet must be between 0 and --every - 1');
        return new StatisticMatch({ kind: 'nth', every, packet }, invert);
      },
    };
  },
};

/** "0x4000" or "0x4000/0xffff" as libxt_mark prints a value and mask. */
function markText(mark: number, mask: number): string {
  return mask !== 0xffffffff ? ` 0x${mark.toString(16)}/0x${mask.toString(16)}` : ` 0x${mark.toString(16)}`;
}

/** value[/mask] as libxtables' XTTYPE_MARKMASK32 parses it. */
export function parseMarkMask(text: string, extension: string, option: string): { mark: number; mask: number } {
  const [v, m] = text.split('/', 2);
  const mark = parseU32(v ?? '');
  const mask = m === undefined ? 0xffffffff : parseU32(m);
  if (mark === undefined || mask === undefined) throw new ParameterProblem(`${extension}: bad value for option "--${option}", or out of range (0-4294967295).\n`);
  return { mark, mask };
}

/** libxt_mark (revision 1). */
class MarkMatch implements Match {
  readonly name = 'mark';
  constructor(
    private readonly mark: number,
    private readonly mask: number,
    private readonly invert: boolean,
  ) {}
  save(): string {
    return `${this.invert ? ' !' : ''} --mark${markText(this.mark, this.mask)}`;
  }
  print(): string {
    return ` mark match${this.invert ? ' !' : ''}${markText(this.mark, this.mask)}`;
  }
  matches(state: PacketState): boolean {
    return (((state.mark & this.mask) >>> 0) === this.mark) !== this.invert;
  }
}

const mark: Extension<Match> = {
  name: 'mark',
  create() {
    const set = new OptionSet('mark', [withArg('mark')], new Set(['mark']));
    let value = { mark: 0, mask: 0xffffffff };
    let invert = false;
    return {
      options: set.options,
      parse(option, v, inv) {
        set.take('mark', inv);
        value = parseMarkMask(v!, 'mark', 'mark');
        invert = inv;
      },
      finish() {
        set.require('mark');
        return new MarkMatch(value.mark, value.mask, invert);
      },
    };
  },
};

/** rtn_names, by RTN_* bit. */
const RTN_NAMES = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'];

function typesText(mask: number): string {
  return RTN_NAMES.filter((_, i) => mask & (1 << i)).join(',');
}

/** The route type of an address as inet_addr_type sees it from the namespace. */
function addressType(address: string, isLocal: (a: string) => boolean): number {
  const n = parseAddress(address);
  if (Number.isNaN(n) || n === 0) return 0;
  if (n === 0xffffffff) return 3;
  if (n >>> 28 === 0xe) return 5;
  if (isLocal(address)) return 2;
  return 1;
}

/** libxt_addrtype (revision 1). */
class AddrtypeMatch implements Match {
  readonly name = 'addrtype';
  constructor(
    private readonly source: { mask: number; invert: boolean } | undefined,
    private readonly dest: { mask: number; invert: boolean } | undefined,
    private readonly limitIn: boolean,
    private readonly limitOut: boolean,
  ) {}
  save(): string {
    let out = '';
    if (this.source) out += `${this.source.invert ? ' !' : ''} --src-type ${typesText(this.source.mask)}`;
    if (this.dest) out += `${this.dest.invert ? ' !' : ''} --dst-type ${typesText(this.dest.mask)}`;
    if (this.limitIn) out += ' --limit-iface-in';
    if (this.limitOut) out += ' --limit-iface-out';
    return out;
  }
  print(): string {
    let out = ' ADDRTYPE match';
    if (this.source) out += ` src-type ${this.source.invert ? '!' : ''}${typesText(this.source.mask)}`;
    if (this.dest) out += ` dst-type ${this.dest.invert ? '!' : ''}${typesText(this.dest.mask)}`;
    if (this.limitIn) out += ' limit-in';
    if (this.limitOut) out += ' limit-out';
    return out;
  }
  matches(state: PacketState): boolean {
    const { packet } = state;
    const test = (spec: { mask: number; invert: boolean } | undefined, address: string) =>
      !spec || (((1 << addressType(address, (a) => packet.isLocal(a))) & spec.mask) !== 0) !== spec.invert;
    return test(this.source, packet.source) && test(this.dest, packet.destination);
  }
}

const addrtype: Extension<Match> = {
  name: 'addrtype',
  create() {
    const set = new OptionSet('addrtype', [withArg('src-type'), withArg('dst-type'), flag('limit-iface-in'), flag('limit-iface-out')], new Set(['src-type', 'dst-type']));
    let source: { mask: number; invert: boolean } | undefined;
    let dest: { mask: number; invert: boolean } | undefined;
    const parseTypes = (text: string) => {
      let mask = 0;
      for (const word of text.split(',')) {
        const i = RTN_NAMES.findIndex((n) => n.toLowerCase() === word.toLowerCase());
        if (i < 0) throw new ParameterProblem(`addrtype: bad type \`${word}'`);
        mask |= 1 << i;
      }
      return mask;
    };
    return {
      options: set.options,
      parse(option, value, invert) {
        set.take(option, invert);
        if (option === 'src-type') source = { mask: parseTypes(value!), invert };
        else if (option === 'dst-type') dest = { mask: parseTypes(value!), invert };
      },
      finish() {
        if (!source && !dest) throw new ParameterProblem('addrtype: you must specify --src-type or --dst-type');
        if (set.has('limit-iface-in') && set.has('limit-iface-out')) throw new ParameterProblem('addrtype: you can\'t specify both --limit-iface-in and --limit-iface-out');
        return new AddrtypeMatch(source, dest, set.has('limit-iface-in'), set.has('limit-iface-out'));
      },
    };
  },
};

/** Conntrack states in print_state's order. */
const CT_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'] as const;

/** libxt_conntrack (revision 3), and libxt_state, its alias. */
class ConntrackMatch implements Match {
  constructor(
    readonly name: 'conntrack' | 'state',
    private readonly states: ReadonlySet<string>,
    private readonly invert: boolean,
  ) {}
  private text(prefix: string): string {
    const keyword = this.name === 'state' ? 'state' : 'ctstate';
    return `${this.invert ? ' !' : ''} ${prefix}${keyword} ${CT_STATES.filter((s) => this.states.has(s)).join(',')}`;
  }
  save(): string {
    return this.text('--');
  }
  print(): string {
    return this.text('');
  }
  matches(state: PacketState): boolean {
    return this.states.has(state.packet.state ?? 'NEW') !== this.invert;
  }
}

function conntrackExtension(name: 'conntrack' | 'state'): Extension<Match> {
  const option = name === 'state' ? 'state' : 'ctstate';
  return {
    name,
    create() {
      const set = new OptionSet(name, [withArg(option)], new Set([option]));
      const states = new Set<string>();
      let invert = false;
      return {
        options: set.options,
        parse(_option, value, inv) {
          set.take(option, inv);
          invert = inv;
          for (const word of value!.split(',')) {
            const upper = word.toUpperCase();
            if (!(CT_STATES as readonly string[]).includes(upper) || (name === 'state' && (upper === 'SNAT' || upper === 'DNAT'))) {
              throw new ParameterProblem(name === 'state' ? `Bad state "${word}"` : `Bad ctstate "${word}"`);
            }
            states.add(upper);
          }
        },
        finish() {
          set.require(option);
          return new ConntrackMatch(name, states, invert);
        },
      };
    },
  };
}

/** libxt_multiport (revision 1). */
class MultiportMatch implements Match {
  readonly name = 'multiport';
  constructor(
    private readonly kind: 'sports' | 'dports' | 'ports',
    private readonly ranges: ReadonlyArray<readonly [number, number]>,
    private readonly invert: boolean,
    private readonly protocol: string,
  ) {}
  private list(name: (p: number) => string): string {
    return this.ranges.map(([lo, hi]) => (lo === hi ? name(lo) : `${name(lo)}:${name(hi)}`)).join(',');
  }
  save(): string {
    return `${this.invert ? ' !' : ''} --${this.kind} ${this.list(String)}`;
  }
  print(numeric: boolean, services: ServiceNames): string {
    return ` multiport ${this.kind} ${this.invert ? ' !' : ''}${this.list((p) => portName(p, this.protocol, numeric, services))}`;
  }
  matches(state: PacketState): boolean {
    const { packet } = state;
    const hit = (port: number) => this.ranges.some(([lo, hi]) => port >= lo && port <= hi);
    const found = this.kind === 'sports' ? hit(packet.sport) : this.kind === 'dports' ? hit(packet.dport) : hit(packet.sport) || hit(packet.dport);
    return found !== this.invert;
  }
}

const multiport: Extension<Match> = {
  name: 'multiport',
  create() {
    const names = { 'source-ports': 'sports', sports: 'sports', 'destination-ports': 'dports', dports: 'dports', ports: 'ports' } as Record<string, 'sports' | 'dports' | 'ports'>;
    const set = new OptionSet('multiport', Object.keys(names).map(withArg), new Set(Object.keys(names)));
    let kind: 'sports' | 'dports' | 'ports' | undefined;
    let ranges: Array<readonly [number, number]> = [];
    let invert = false;
    return {
      options: set.options,
      parse(option, value, inv) {
        if (kind) throw new ParameterProblem('multiport can only have one option');
        set.take(option, inv);
        kind = names[option];
        invert = inv;
        ranges = [];
        let count = 0;
        for (const item of value!.split(',')) {
          const range = parsePortRange(item, false);
          count += range.min === range.max ? 1 : 2;
          if (count > 15) throw new ParameterProblem('too many ports specified');
          ranges.push([range.min, range.max]);
        }
      },
      finish(ip) {
        if (!kind) throw new ParameterProblem('multiport expects an option');
        const protocol = ip.protocol === 6 ? 'tcp' : ip.protocol === 17 ? 'udp' : ip.protocol === 136 ? 'udplite' : ip.protocol === 132 ? 'sctp' : ip.protocol === 33 ? 'dccp' : undefined;
        if (!protocol || ip.protocolInvert) throw new ParameterProblem("multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
        return new MultiportMatch(kind, ranges, invert, protocol);
      },
    };
  },
};

/** libxt_nfacct: counts into a named accounting object. */
class NfacctMatch implements Match {
  readonly name = 'nfacct';
  constructor(private readonly accounting: string) {}
  save(): string {
    return ` --nfacct-name ${saveString(this.accounting)}`;
  }
  print(): string {
    return ` nfacct-name ${saveString(this.accounting)}`;
  }
  matches(): boolean {
    return true;
  }
}

const nfacct: Extension<Match> = {
  name: 'nfacct',
  create() {
    const set = new OptionSet('nfacct', [withArg('nfacct-name')]);
    let accounting = '';
    return {
      options: set.options,
      parse(_option, value, invert) {
        set.take('nfacct-name', invert);
        if (value!.length > 31) throw new ParameterProblem('nfacct: option "--nfacct-name" must be no longer than 31 characters\n');
        accounting = value!;
      },
      finish() {
        set.require('nfacct-name');
        return new NfacctMatch(accounting);
      },
    };
  },
};

/** The match extensions by name. */
/** xt_recent's commands, one per rule. */
type RecentCommand = 'set' | 'rcheck' | 'update' | 'remove';

/**
 * libxt_recent: a named list of addresses (the source's, or with --rdest the destination's, masked) and
 * when each was seen. --set adds or refreshes the address and matches; --rcheck matches an address on the
 * list (seen within --seconds, at least --hitcount times), --update does too and records this hit,
 * --remove takes it off and matches; --reap drops hits older than --seconds. kube-proxy's ClientIP
 * session affinity is built from it (`--set` in a KUBE-SEP chain, `--rcheck --seconds 10800 --reap` in
 * its Service's chain).
 */
class RecentMatch implements Match {
  readonly name = 'recent';

  constructor(
    private readonly command: RecentCommand,
    private readonly list: string,
    private readonly seconds: number,
    private readonly hitcount: number,
    private readonly reap: boolean,
    private readonly rttl: boolean,
    private readonly mask: number,
    private readonly side: 'source' | 'dest',
    private readonly invert: boolean,
  ) {}

  private maskText(): string {
    return intToIpv4(this.mask >>> 0);
  }

  save(): string {
    let out = this.invert ? ' !' : '';
    out += ` --${this.command}`;
    if (this.seconds) out += ` --seconds ${this.seconds}`;
    if (this.reap) out += ' --reap';
    if (this.hitcount) out += ` --hitcount ${this.hitcount}`;
    if (this.rttl) out += ' --rttl';
    return `${out} --name ${this.list} --mask ${this.maskText()} --${this.side === 'source' ? 'rsource' : 'rdest'}`;
  }

  print(): string {
    let out = this.invert ? ' !' : '';
    out += ` recent: ${{ set: 'SET', rcheck: 'CHECK', update: 'UPDATE', remove: 'REMOVE' }[this.command]}`;
    if (this.seconds) out += ` seconds: ${this.seconds}`;
    if (this.reap) out += ' reap';
    if (this.hitcount) out += ` hit_count: ${this.hitcount}`;
    if (this.rttl) out += ' TTL-Match';
    return `${out} name: ${this.list} side: ${this.side} mask: ${this.maskText()}`;
  }

  matches(state: PacketState): boolean {
    const { packet } = state;
    const address = intToIpv4((ipv4ToInt(this.side === 'source' ? packet.source : packet.destination) & this.mask) >>> 0);
    const now = packet.time ?? 0;
    let table = state.recent.get(this.list);
    if (!table) state.recent.set(this.list, (table = new Map()));
    let hits = table.get(address);
    if (this.command === 'set') {
      table.set(address, [...(hits ?? []), now]);
      return !this.invert;
    }
    if (hits && this.seconds && this.reap) {
      hits = hits.filter((t) => now - t <= this.seconds * 1000);
      if (hits.length > 0) table.set(address, hits);
      else table.delete(address);
    }
    const recent = (hits ?? []).filter((t) => !this.seconds || now - t <= this.seconds * 1000);
    const found = hits !== undefined && recent.length > 0 && recent.length >= (this.hitcount || 1);
    if (found && this.command === 'remove') table.delete(address);
    if (found && this.command === 'update') table.set(address, [...(hits ?? []), now]);
    return found !== this.invert;
  }
}

const recent: Extension<Match> = {
  name: 'recent',
  create() {
    const set = new OptionSet(
      'recent',
      [flag('set'), flag('rcheck'), flag('update'), flag('remove'), withArg('seconds'), flag('reap'), withArg('hitcount'), flag('rttl'), withArg('name'), flag('rsource'), flag('rdest'), withArg('mask')],
      new Set(['set', 'rcheck', 'update', 'remove']),
    );
    let command: RecentCommand | undefined;
    let invert = false;
    let seconds = 0;
    let hitcount = 0;
    let list = 'DEFAULT';
    let mask = 0xffffffff;
    let side: 'source' | 'dest' = 'source';
    return {
      options: set.options,
      parse(option, value, inv) {
        set.take(option, inv);
        if (option === 'set' || option === 'rcheck' || option === 'update' || option === 'remove') {
          if (command) throw new ParameterProblem('recent: only one of `--set\', `--rcheck\' `--update\' or `--remove\' may be set');
          command = option;
          invert = inv;
        } else if (option === 'seconds' || option === 'hitcount') {
          const n = parseU32(value!);
          if (n === undefined) throw new ParameterProblem(`recent: bad value for option "--${option}", or out of range (0-4294967295).\n`);
          if (option === 'seconds') seconds = n;
          else hitcount = n;
        } else if (option === 'name') list = value!;
        else if (option === 'rdest') side = 'dest';
        else if (option === 'rsource') side = 'source';
        else if (option === 'mask') {
          const n = ipv4ToInt(value!);
          if (Number.isNaN(n)) throw new ParameterProblem(`recent: bad value for option "--mask", or out of range.\n`);
          mask = n;
        }
      },
      finish() {
        if (!command) throw new ParameterProblem('recent: you must specify one of `--set\', `--rcheck\' `--update\' or `--remove\'');
        if (set.has('reap') && !set.has('seconds')) throw new ParameterProblem('recent: you must specify `--seconds\' when using `--reap\'');
        if ((set.has('seconds') || set.has('hitcount') || set.has('reap') || set.has('rttl')) && (command === 'set' || command === 'remove')) {
          throw new ParameterProblem('recent: --seconds, --hitcount, --rttl and --reap can only be used with --rcheck or --update');
        }
        return new RecentMatch(command, list, seconds, hitcount, set.has('reap'), set.has('rttl'), mask, side, invert);
      },
    };
  },
};

export const MATCHES: ReadonlyMap<string, Extension<Match>> = new Map(
  [portExtension('tcp'), portExtension('udp'), comment, statistic, mark, addrtype, conntrackExtension('conntrack'), conntrackExtension('state'), multiport, nfacct, recent].map((e) => [e.name, e]),
);

