/**
 * The target extensions (libxt_*.c with xt_*.c/nf_nat): DNAT --to-destination and SNAT --to-source
 * (ADDR[-ADDR][:PORT[-PORT]], --random, --persistent, SNAT's --random-fully), MASQUERADE (--to-ports,
 * --random, --random-fully), MARK (revision 2: every form stored as --set-xmark value/mask, which is how
 * iptables-save prints it and `-L` names it "or", "and", "xor", "set" or "xset"), REJECT (--reject-with,
 * default icmp-port-unreachable) and LOG (--log-prefix, --log-level and its flags; it only counts here).
 * The NAT targets take the first address and port of a range, and only in the nat table, as the kernel
 * checks; REJECT only in filter.
 *
 * Left out: the other targets, the hook checks of nf_nat and REJECT (which chains may hold them),
 * choosing among a range's addresses and ports, LOG's messages in the kernel log.
 */
import { flag, OptionSet, parsePort, withArg } from './extensionOptions.ts';
import { parseMarkMask } from './matches.ts';
import { formatAddress, parseAddress, saveString, type Extension, type ExtensionBuilder, type PacketState, type RuleIp, type Target, type TargetResult } from './rule.ts';
import { ParameterProblem } from './xtablesError.ts';

/** An nf_nat range: addresses and ports, each first–last. */
interface NatRange {
  readonly addresses?: readonly [number, number];
  readonly ports?: readonly [number, number];
}

function rangeText(range: NatRange): string {
  let out = '';
  if (range.addresses) {
    const [lo, hi] = range.addresses;
    out += formatAddress(lo) + (hi !== lo ? `-${formatAddress(hi)}` : '');
  }
  if (range.ports) {
    const [lo, hi] = range.ports;
    out += `:${lo}${hi !== lo ? `-${hi}` : ''}`;
  }
  return out;
}

/** parse_to: ADDR[-ADDR][:PORT[-PORT]]. */
function parseRange(text: string, ip: { portsAllowed: boolean }): NatRange {
  const colon = text.indexOf(':');
  const addrText = colon < 0 ? text : text.slice(0, colon);
  let range: { addresses?: [number, number]; ports?: [number, number] } = {};
  if (colon >= 0) {
    if (!ip.portsAllowed) throw new ParameterProblem('Need TCP, UDP, SCTP or DCCP with port specification');
    const [a, b] = text.slice(colon + 1).split('-', 2);
    const lo = parsePort(a ?? '');
    const hi = b === undefined ? lo : parsePort(b);
    if (lo === undefined || lo === 0) throw new ParameterProblem(`Port \`${a}' not valid\n`);
    if (hi === undefined || hi === 0) throw new ParameterProblem(`Port \`${b}' not valid\n`);
    if (hi < lo) throw new ParameterProblem(`Port range \`${text.slice(colon + 1)}' invalid\n`);
    range = { ports: [lo, hi] };
  }
  if (addrText !== '') {
    const [a, b] = addrText.split('-', 2);
    const lo = parseAddress(a ?? '');
    const hi = b === undefined ? lo : parseAddress(b);
    if (Number.isNaN(lo)) throw new ParameterProblem(`Bad IP address "${a}"\n`);
    if (Number.isNaN(hi)) throw new ParameterProblem(`Bad IP address "${b}"\n`);
    range.addresses = [lo, hi];
  }
  return range;
}

const portsAllowed = (ip: RuleIp) => !ip.protocolInvert && [6, 17, 132, 33, 136].includes(ip.protocol);

/** DNAT and SNAT. */
class NatTarget implements Target {
  readonly tables = ['nat'];
  constructor(
    readonly name: 'DNAT' | 'SNAT',
    private readonly range: NatRange,
    private readonly flags: { random: boolean; persistent: boolean; randomFully: boolean },
  ) {}
  save(): string {
    let out = ` ${this.name === 'DNAT' ? '--to-destination' : '--to-source'} ${rangeText(this.range)}`;
    if (this.flags.random) out += ' --random';
    if (this.flags.randomFully) out += ' --random-fully';
    if (this.flags.persistent) out += ' --persistent';
    return out;
  }
  print(): string {
    let out = ` to:${rangeText(this.range)}`;
    if (this.flags.random) out += ' random';
    if (this.flags.randomFully) out += ' random-fully';
    if (this.flags.persistent) out += ' persistent';
    return out;
  }
  apply(): TargetResult {
    const address = this.range.addresses ? formatAddress(this.range.addresses[0]) : undefined;
    const port = this.range.ports?.[0];
    if (this.name === 'DNAT') return { kind: 'dnat', address: address ?? '', ...(port !== undefined ? { port } : {}) };
    return { kind: 'snat', address: address ?? '', ...(port !== undefined ? { port } : {}) };
  }
}

function natExtension(name: 'DNAT' | 'SNAT'): Extension<Target> {
  const to = name === 'DNAT' ? 'to-destination' : 'to-source';
  return {
    name,
    create(): ExtensionBuilder<Target> {
      const options = [withArg(to), flag('random'), flag('persistent'), ...(name === 'SNAT' ? [flag('random-fully')] : [])];
      const set = new OptionSet(name, options);
      let text: string | undefined;
      return {
        options,
        parse(option, value, invert) {
          set.take(option, invert);
          if (option === to) text = value!;
        },
        finish(ip) {
          if (text === undefined) throw new ParameterProblem(`${name}: option "--${to}" must be specified\n`);
          const range = parseRange(text, { portsAllowed: portsAllowed(ip) });
          if (!range.addresses) throw new ParameterProblem(`Bad IP address ""\n`);
          return new NatTarget(name, range, { random: set.has('random'), persistent: set.has('persistent'), randomFully: set.has('random-fully') });
        },
      };
    },
  };
}

/** MASQUERADE: SNAT to the outgoing interface's address. */
class MasqueradeTarget implements Target {
  readonly name = 'MASQUERADE';
  readonly tables = ['nat'];
  constructor(
    private readonly ports: readonly [number, number] | undefined,
    private readonly random: boolean,
    private readonly randomFully: boolean,
  ) {}
  private portsText(): string {
    if (!this.ports) return '';
    const [lo, hi] = this.ports;
    return lo === hi ? String(lo) : `${lo}-${hi}`;
  }
  save(): string {
    return (this.ports ? ` --to-ports ${this.portsText()}` : '') + (this.random ? ' --random' : '') + (this.randomFully ? ' --random-fully' : '');
  }
  print(): string {
    return (this.ports ? ` masq ports: ${this.portsText()}` : '') + (this.random ? ' random' : '') + (this.randomFully ? ' random-fully' : '');
  }
  apply(): TargetResult {
    return this.ports ? { kind: 'masquerade', port: this.ports[0] } : { kind: 'masquerade' };
  }
}

const masquerade: Extension<Target> = {
  name: 'MASQUERADE',
  create() {
    const options = [withArg('to-ports'), flag('random'), flag('random-fully')];
    const set = new OptionSet('MASQUERADE', options);
    let ports: string | undefined;
    return {
      options,
      parse(option, value, invert) {
        set.take(option, invert);
        if (option === 'to-ports') ports = value!;
      },
      finish(ip) {
        let range: readonly [number, number] | undefined;
        if (ports !== undefined) {
          if (!portsAllowed(ip)) throw new ParameterProblem('Need TCP, UDP, SCTP or DCCP with port specification');
          range = parseRange(`:${ports}`, { portsAllowed: true }).ports;
        }
        return new MasqueradeTarget(range, set.has('random'), set.has('random-fully'));
      },
    };
  },
};

/** MARK revision 2: mark' = (mark & ~mask) ^ value. */
class MarkTarget implements Target {
  readonly name = 'MARK';
  constructor(
    private readonly value: number,
    private readonly mask: number,
  ) {}
  save(): string {
    return ` --set-xmark 0x${this.value.toString(16)}/0x${this.mask.toString(16)}`;
  }
  print(): string {
    const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;
    if (this.value === 0) return ` MARK and ${hex(~this.mask)}`;
    if (this.value === this.mask) return ` MARK or ${hex(this.value)}`;
    if (this.mask === 0) return ` MARK xor ${hex(this.value)}`;
    if (this.mask === 0xffffffff) return ` MARK set ${hex(this.value)}`;
    return ` MARK xset ${hex(this.value)}/${hex(this.mask)}`;
  }
  apply(state: PacketState): TargetResult {
    state.mark = ((state.mark & ~this.mask) ^ this.value) >>> 0;
    return { kind: 'continue' };
  }
}

const markTarget: Extension<Target> = {
  name: 'MARK',
  create() {
    const names = ['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark'];
    const options = names.map(withArg);
    const set = new OptionSet('MARK', options);
    let result: { value: number; mask: number } | undefined;
    return {
      options,
      parse(option, text, invert) {
        set.take(option, invert);
        if (result) throw new ParameterProblem('MARK target: Can\'t specify --set-mark twice');
        if (option === 'set-xmark' || option === 'set-mark') {
          const { mark, mask } = parseMarkMask(text!, 'MARK', option);
          result = option === 'set-xmark' ? { value: mark, mask } : { value: mark, mask: (mark | mask) >>> 0 };
          return;
        }
        const { mark: v, mask } = parseMarkMask(text!, 'MARK', option);
        if (mask !== 0xffffffff) throw new ParameterProblem(`MARK: bad value for option "--${option}", or out of range (0-4294967295).\n`);
        if (option === 'and-mark') result = { value: 0, mask: ~v >>> 0 };
        else if (option === 'or-mark') result = { value: v, mask: v };
        else result = { value: v, mask: 0 };
      },
      finish() {
        if (!result) throw new ParameterProblem('MARK target: Parameter --set/and/or/xor-mark is required');
        return new MarkTarget(result.value, result.mask);
      },
    };
  },
};

/** REJECT's types: the name saved, and its short alias. */
const REJECT_TYPES: ReadonlyArray<readonly [string, string]> = [
  ['icmp-net-unreachable', 'net-unreach'],
  ['icmp-host-unreachable', 'host-unreach'],
  ['icmp-proto-unreachable', 'proto-unreach'],
  ['icmp-port-unreachable', 'port-unreach'],
  ['icmp-net-prohibited', 'net-prohib'],
  ['icmp-host-prohibited', 'host-prohib'],
  ['tcp-reset', 'tcp-rst'],
  ['icmp-admin-prohibited', 'admin-prohib'],
];

class RejectTarget implements Target {
  readonly name = 'REJECT';
  readonly tables = ['filter'];
  constructor(private readonly type: string) {}
  save(): string {
    return ` --reject-with ${this.type}`;
  }
  print(): string {
    return ` reject-with ${this.type}`;
  }
  apply(): TargetResult {
    return { kind: 'reject', with: this.type };
  }
}

const reject: Extension<Target> = {
  name: 'REJECT',
  create() {
    const options = [withArg('reject-with')];
    const set = new OptionSet('REJECT', options);
    let type = 'icmp-port-unreachable';
    return {
      options,
      parse(option, value, invert) {
        set.take(option, invert);
        const found = REJECT_TYPES.find(([name, alias]) => value === name || value === alias);
        if (!found) throw new ParameterProblem(`unknown reject type "${value}"`);
        type = found[0];
      },
      finish(ip) {
        if (type === 'tcp-reset' && (ip.protocol !== 6 || ip.protocolInvert)) throw new ParameterProblem("Can only specify tcp-reset when `-p tcp'");
        return new RejectTarget(type);
      },
    };
  },
};

/** syslog levels by name, in libxt_LOG's table order. */
const LOG_LEVELS: ReadonlyArray<readonly [string, number]> = [
  ['alert', 1],
  ['crit', 2],
  ['debug', 7],
  ['emerg', 0],
  ['error', 3],
  ['info', 6],
  ['notice', 5],
  ['panic', 0],
  ['warning', 4],
];
const LOG_FLAGS: ReadonlyArray<readonly [string, number, string]> = [
  ['log-tcp-sequence', 0x01, 'tcp-sequence'],
  ['log-tcp-options', 0x02, 'tcp-options'],
  ['log-ip-options', 0x04, 'ip-options'],
  ['log-uid', 0x08, 'uid'],
  ['log-macdecode', 0x20, 'macdecode'],
];

class LogTarget implements Target {
  readonly name = 'LOG';
  constructor(
    private readonly prefix: string,
    private readonly level: number,
    private readonly flags: number,
  ) {}
  save(): string {
    let out = this.prefix !== '' ? ` --log-prefix${saveString(this.prefix)}` : '';
    if (this.level !== 4) out += ` --log-level ${this.level}`;
    for (const [option, bit] of LOG_FLAGS) if (this.flags & bit) out += ` --${option}`;
    return out;
  }
  print(numeric: boolean): string {
    let out = ' LOG';
    if (numeric) out += ` flags ${this.flags} level ${this.level}`;
    else {
      const name = LOG_LEVELS.find(([, n]) => n === this.level)?.[0];
      out += name ? ` level ${name}` : ` UNKNOWN level ${this.level}`;
      for (const [, bit, label] of LOG_FLAGS) if (this.flags & bit) out += ` ${label}`;
    }
    if (this.prefix !== '') out += ` prefix "${this.prefix}"`;
    return out;
  }
  apply(): TargetResult {
    return { kind: 'continue' };
  }
}

const log: Extension<Target> = {
  name: 'LOG',
  create() {
    const options = [withArg('log-level'), withArg('log-prefix'), ...LOG_FLAGS.map(([o]) => flag(o))];
    const set = new OptionSet('LOG', options);
    let prefix = '';
    let level = 4;
    let flags = 0;
    return {
      options,
      parse(option, value, invert) {
        set.take(option, invert);
        if (option === 'log-level') {
          const byName = LOG_LEVELS.find(([n]) => n === value)?.[1];
          const n = byName ?? (/^[0-7]$/.test(value!) ? Number(value) : undefined);
          if (n === undefined) throw new ParameterProblem(`log-level "${value}" unknown\n`);
          level = n;
        } else if (option === 'log-prefix') {
          if (value!.length > 29) throw new ParameterProblem('LOG: option "--log-prefix" must be no longer than 29 characters\n');
          prefix = value!;
        } else flags |= LOG_FLAGS.find(([o]) => o === option)![1];
      },
      finish() {
        return new LogTarget(prefix, level, flags);
      },
    };
  },
};

/** The target extensions by name. */
export const TARGETS: ReadonlyMap<string, Extension<Target>> = new Map(
  [natExtension('DNAT'), natExtension('SNAT'), masquerade, markTarget, reject, log].map((e) => [e.name, e]),
);
