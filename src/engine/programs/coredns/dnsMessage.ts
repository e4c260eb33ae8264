/**
 * The DNS message format of RFC 1035 §4 (as miekg/dns, which CoreDNS is built on, packs and unpacks it):
 * a 12-byte header (id, QR/opcode/AA/TC/RD/RA/rcode, four counts), the question, and the answer,
 * authority and additional sections of resource records, with names as length-prefixed labels and
 * compression pointers (§4.1.4). Record data is typed for A, AAAA, NS, CNAME, PTR, SOA, TXT, SRV
 * (RFC 2782) and OPT (RFC 6891's EDNS0 pseudo-record); any other type keeps its raw bytes.
 *
 * `encodeMessage` packs without compression unless asked (CoreDNS compresses only a reply that would
 * not fit otherwise); `decodeMessage` reads both, and throws DnsFormatError on a truncated or looping
 * message. Over TCP each message travels behind a two-byte length (§4.2.2): `frameTcp` and
 * `TcpFrameReader`. Socket data is a string of bytes (one char per byte), so `bytesToBinary` and
 * `binaryToBytes` convert. `presentRecord` prints a record in zone-file form as dig shows it.
 *
 * Left out: DNSSEC types beyond raw bytes, EDNS options inside OPT (kept raw), IDN.
 */

export const TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, HINFO: 13, MX: 15, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, DS: 43, RRSIG: 46, NSEC: 47, DNSKEY: 48, NSEC3: 50, HTTPS: 65, IXFR: 251, AXFR: 252, ANY: 255 } as const;
export const CLASS_IN = 1;
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

const TYPE_NAMES = new Map<number, string>(Object.entries(TYPE).map(([name, value]) => [value, name]));
const RCODE_NAMES = new Map<number, string>(Object.entries(RCODE).map(([name, value]) => [value, name]));

/** `A`, `SRV`, or `TYPE65280` for a type without a mnemonic (RFC 3597). */
export function typeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `TYPE${type}`;
}

/** The number of a type mnemonic (`A`, `srv`), or undefined. */
export function typeNumber(name: string): number | undefined {
  const upper = name.toUpperCase();
  if (upper in TYPE) return TYPE[upper as keyof typeof TYPE];
  const m = /^TYPE(\d+)$/.exec(upper);
  return m ? Number(m[1]) : undefined;
}

/** `NOERROR`, `NXDOMAIN`… or `RCODE11`. */
export function rcodeName(rcode: number): string {
  return RCODE_NAMES.get(rcode) ?? `RCODE${rcode}`;
}

export interface Question {
  /** Fully qualified, with the trailing dot: `kubernetes.default.svc.cluster.local.`. */
  name: string;
  type: number;
  class: number;
}

export type RecordData =
  | { kind: 'A'; address: string }
  | { kind: 'AAAA'; address: string }
  | { kind: 'NS' | 'CNAME' | 'PTR'; target: string }
  | { kind: 'SOA'; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number }
  | { kind: 'TXT'; texts: string[] }
  | { kind: 'SRV'; priority: number; weight: number; port: number; target: string }
  | { kind: 'OPT' }
  | { kind: 'raw'; bytes: Uint8Array };

export interface ResourceRecord {
  name: string;
  type: number;
  /** The class, or for OPT the requestor's UDP payload size. */
  class: number;
  /** The TTL, or for OPT the extended rcode, version and flags (DO is bit 15). */
  ttl: number;
  data: RecordData;
}

export interface DnsFlags {
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
  rcode: number;
}

export interface DnsMessage {
  id: number;
  flags: DnsFlags;
  questions: Question[];
  answers: ResourceRecord[];
  authority: ResourceRecord[];
  additional: ResourceRecord[];
}

/** A message that cannot be parsed (miekg/dns's ErrShortRead and friends). */
export class DnsFormatError extends Error {}

/** Flags all clear but those given. */
export function flags(set: Partial<DnsFlags> = {}): DnsFlags {
  return { qr: false, opcode: 0, aa: false, tc: false, rd: false, ra: false, ad: false, cd: false, rcode: 0, ...set };
}

/** A query for `name` (made fully qualified) of `type`, recursion desired, as dig and nslookup send it. */
export function buildQuery(id: number, name: string, type: number, options: { rd?: boolean; udpSize?: number } = {}): DnsMessage {
  const additional: ResourceRecord[] = options.udpSize ? [{ name: '.', type: TYPE.OPT, class: options.udpSize, ttl: 0, data: { kind: 'OPT' } }] : [];
  return { id, flags: flags({ rd: options.rd ?? true }), questions: [{ name: fqdn(name), type, class: CLASS_IN }], answers: [], authority: [], additional };
}

/** `name` with a trailing dot. */
export function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

class Writer {
  private bytes: number[] = [];
  private readonly names = new Map<string, number>();

  constructor(private readonly compress: boolean) {}

  get length(): number {
    return this.bytes.length;
  }

  u8(v: number): void {
    this.bytes.push(v & 0xff);
  }

  u16(v: number): void {
    this.bytes.push((v >>> 8) & 0xff, v & 0xff);
  }

  u32(v: number): void {
    this.u16((v >>> 16) & 0xffff);
    this.u16(v & 0xffff);
  }

  raw(data: Uint8Array | number[]): void {
    for (const b of data) this.bytes.push(b);
  }

  setU16(at: number, v: number): void {
    this.bytes[at] = (v >>> 8) & 0xff;
    this.bytes[at + 1] = v & 0xff;
  }

  name(name: string, compressible = true): void {
    const labels = splitLabels(name);
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const at = this.names.get(suffix);
      if (this.compress && compressible && at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.length < 0x4000) this.names.set(suffix, this.length);
      const label = new TextEncoder().encode(labels[i]!);
      if (label.length > 63) throw new DnsFormatError(`dns: bad rdata: label too long: ${labels[i]!}`);
      this.u8(label.length);
      this.raw(label);
    }
    this.u8(0);
  }

  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** The labels of a name, without the root: `a.b.` → ['a', 'b']; `.` → []. */
export function splitLabels(name: string): string[] {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  return trimmed === '' ? [] : trimmed.split('.');
}

function writeRecord(w: Writer, rr: ResourceRecord): void {
  w.name(rr.name);
  w.u16(rr.type);
  w.u16(rr.class);
  w.u32(rr.ttl >>> 0);
  const lengthAt = w.length;
  w.u16(0);
  const start = w.length;
  const d = rr.data;
  switch (d.kind) {
    case 'A':
      w.raw(d.address.split('.').map(Number));
      break;
    case 'AAAA':
      w.raw(ipv6Bytes(d.address));
      break;
    case 'NS':
    case 'CNAME':
    case 'PTR':
      w.name(d.target);
      break;
    case 'SOA':
      w.name(d.mname);
      w.name(d.rname);
      w.u32(d.serial >>> 0);
      w.u32(d.refresh);
      w.u32(d.retry);
      w.u32(d.expire);
      w.u32(d.minimum);
      break;
    case 'TXT':
      for (const t of d.texts) {
        const b = new TextEncoder().encode(t);
        w.u8(b.length);
        w.raw(b);
      }
      break;
    case 'SRV':
      w.u16(d.priority);
      w.u16(d.weight);
      w.u16(d.port);
      // RFC 2782: the target is never compressed.
      w.name(d.target, false);
      break;
    case 'OPT':
      break;
    case 'raw':
      w.raw(d.bytes);
      break;
  }
  w.setU16(lengthAt, w.length - start);
}

/** RFC 1035's limit on a UDP message without EDNS0 (miekg/dns's MinMsgSize). */
export const MIN_UDP_SIZE = 512;

/**
 * The message packed to fit `size` bytes (at least 512), as miekg/dns's Msg.Truncate cuts a UDP reply:
 * uncompressed when it fits so, else compressed, else with as many records of the answer, authority and
 * additional sections (in that order) as fit, the TC bit set when any were left out. An OPT record is
 * kept, its length counted first.
 */
export function packTruncated(m: DnsMessage, size: number): Uint8Array {
  const limit = Math.max(size, MIN_UDP_SIZE);
  const plain = encodeMessage(m);
  if (plain.length <= limit) return plain;
  const opt = m.additional.filter((r) => r.type === TYPE.OPT);
  const extra = m.additional.filter((r) => r.type !== TYPE.OPT);
  const kept: DnsMessage = { ...m, answers: [], authority: [], additional: [] };
  const fits = () => encodeMessage({ ...kept, additional: [...kept.additional, ...opt] }, { compress: true }).length <= limit;
  let complete = fits();
  for (const [section, records] of [['answers', m.answers], ['authority', m.authority], ['additional', extra]] as const) {
    for (const record of records) {
      if (!complete) break;
      kept[section] = [...kept[section], record];
      if (!fits()) {
        kept[section] = kept[section].slice(0, -1);
        complete = false;
      }
    }
  }
  const cut = kept.answers.length < m.answers.length || kept.authority.length < m.authority.length || kept.additional.length < extra.length;
  return encodeMessage({ ...kept, flags: { ...m.flags, tc: m.flags.tc || cut }, additional: [...kept.additional, ...opt] }, { compress: true });
}

/** Pack a message (compressing names when `compress`). */
export function encodeMessage(m: DnsMessage, options: { compress?: boolean } = {}): Uint8Array {
  const w = new Writer(options.compress ?? false);
  const f = m.flags;
  w.u16(m.id);
  w.u16((f.qr ? 0x8000 : 0) | ((f.opcode & 0xf) << 11) | (f.aa ? 0x400 : 0) | (f.tc ? 0x200 : 0) | (f.rd ? 0x100 : 0) | (f.ra ? 0x80 : 0) | (f.ad ? 0x20 : 0) | (f.cd ? 0x10 : 0) | (f.rcode & 0xf));
  w.u16(m.questions.length);
  w.u16(m.answers.length);
  w.u16(m.authority.length);
  w.u16(m.additional.length);
  for (const q of m.questions) {
    w.name(q.name);
    w.u16(q.type);
    w.u16(q.class);
  }
  for (const rr of [...m.answers, ...m.authority, ...m.additional]) writeRecord(w, rr);
  return w.done();
}

class Reader {
  offset = 0;

  constructor(readonly bytes: Uint8Array) {}

  need(n: number, at = this.offset): void {
    if (at + n > this.bytes.length) throw new DnsFormatError('dns: overflow unpacking message');
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.offset++]!;
  }

  u16(): number {
    this.need(2);
    const v = (this.bytes[this.offset]! << 8) | this.bytes[this.offset + 1]!;
    this.offset += 2;
    return v;
  }

  u32(): number {
    return ((this.u16() << 16) | this.u16()) >>> 0;
  }

  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  /** A name at the current offset, following pointers (each must point backwards: no loops). */
  name(): string {
    const labels: string[] = [];
    let at = this.offset;
    let jumped = false;
    let hops = 0;
    for (;;) {
      this.need(1, at);
      const len = this.bytes[at]!;
      if ((len & 0xc0) === 0xc0) {
        this.need(2, at);
        const target = ((len & 0x3f) << 8) | this.bytes[at + 1]!;
        if (!jumped) this.offset = at + 2;
        jumped = true;
        if (target >= at || ++hops > 126) throw new DnsFormatError('dns: too many compression pointers');
        at = target;
        continue;
      }
      if (len & 0xc0) throw new DnsFormatError('dns: bad rdata');
      at++;
      if (len === 0) break;
      this.need(len, at);
      labels.push(new TextDecoder().decode(this.bytes.slice(at, at + len)));
      at += len;
    }
    if (!jumped) this.offset = at;
    return labels.length === 0 ? '.' : `${labels.join('.')}.`;
  }
}

function readRecord(r: Reader): ResourceRecord {
  const name = r.name();
  const type = r.u16();
  const cls = r.u16();
  const ttl = r.u32();
  const length = r.u16();
  r.need(length);
  const end = r.offset + length;
  let data: RecordData;
  switch (type) {
    case TYPE.A:
      data = { kind: 'A', address: Array.from(r.take(4)).join('.') };
      break;
    case TYPE.AAAA:
      data = { kind: 'AAAA', address: formatIpv6(r.take(16)) };
      break;
    case TYPE.NS:
    case TYPE.CNAME:
    case TYPE.PTR:
      data = { kind: type === TYPE.NS ? 'NS' : type === TYPE.CNAME ? 'CNAME' : 'PTR', target: r.name() };
      break;
    case TYPE.SOA:
      data = { kind: 'SOA', mname: r.name(), rname: r.name(), serial: r.u32(), refresh: r.u32(), retry: r.u32(), expire: r.u32(), minimum: r.u32() };
      break;
    case TYPE.TXT: {
      const texts: string[] = [];
      while (r.offset < end) texts.push(new TextDecoder().decode(r.take(r.u8())));
      data = { kind: 'TXT', texts };
      break;
    }
    case TYPE.SRV:
      data = { kind: 'SRV', priority: r.u16(), weight: r.u16(), port: r.u16(), target: r.name() };
      break;
    case TYPE.OPT:
      r.take(length);
      data = { kind: 'OPT' };
      break;
    default:
      data = { kind: 'raw', bytes: r.take(length) };
  }
  if (r.offset !== end) throw new DnsFormatError('dns: bad rdlength');
  return { name, type, class: cls, ttl, data };
}

/** Unpack a message; DnsFormatError when it is cut short or malformed. */
export function decodeMessage(bytes: Uint8Array): DnsMessage {
  const r = new Reader(bytes);
  const id = r.u16();
  const f = r.u16();
  const counts = [r.u16(), r.u16(), r.u16(), r.u16()] as const;
  const questions: Question[] = [];
  for (let i = 0; i < counts[0]; i++) questions.push({ name: r.name(), type: r.u16(), class: r.u16() });
  const section = (n: number) => Array.from({ length: n }, () => readRecord(r));
  const answers = section(counts[1]);
  const authority = section(counts[2]);
  const additional = section(counts[3]);
  return {
    id,
    flags: { qr: !!(f & 0x8000), opcode: (f >>> 11) & 0xf, aa: !!(f & 0x400), tc: !!(f & 0x200), rd: !!(f & 0x100), ra: !!(f & 0x80), ad: !!(f & 0x20), cd: !!(f & 0x10), rcode: f & 0xf },
    questions,
    answers,
    authority,
    additional,
  };
}

function ipv6Bytes(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const parts = (s: string) => (s === '' ? [] : s.split(':').map((h) => parseInt(h, 16)));
  const left = parts(head);
  const right = tail === undefined ? [] : parts(tail);
  const words = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return words.flatMap((w) => [(w >>> 8) & 0xff, w & 0xff]);
}

/** RFC 5952's canonical text of 16 bytes. */
function formatIpv6(bytes: Uint8Array): string {
  const words = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Bytes as a socket carries them: one char per byte. */
export function bytesToBinary(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

export function binaryToBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

/** A message framed for TCP: its length as two bytes, then the message (RFC 1035 §4.2.2). */
export function frameTcp(message: Uint8Array): string {
  return String.fromCharCode((message.length >>> 8) & 0xff, message.length & 0xff) + bytesToBinary(message);
}

/** Reassembles length-prefixed messages from a TCP stream. */
export class TcpFrameReader {
  private buffer = '';

  /** Add received data; returns the messages now complete. */
  push(chunk: string): Uint8Array[] {
    this.buffer += chunk;
    const out: Uint8Array[] = [];
    while (this.buffer.length >= 2) {
      const length = ((this.buffer.charCodeAt(0) & 0xff) << 8) | (this.buffer.charCodeAt(1) & 0xff);
      if (this.buffer.length < 2 + length) break;
      out.push(binaryToBytes(this.buffer.slice(2, 2 + length)));
      this.buffer = this.buffer.slice(2 + length);
    }
    return out;
  }
}

/** A record in zone-file presentation, dig's layout: `name.\tTTL\tIN\tA\t10.96.0.1`. */
export function presentRecord(rr: ResourceRecord): string {
  const d = rr.data;
  let rdata: string;
  switch (d.kind) {
    case 'A':
    case 'AAAA':
      rdata = d.address;
      break;
    case 'NS':
    case 'CNAME':
    case 'PTR':
      rdata = d.target;
      break;
    case 'SOA':
      rdata = `${d.mname} ${d.rname} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
      break;
    case 'TXT':
      rdata = d.texts.map((t) => `"${t.replace(/(["\\])/g, '\\$1')}"`).join(' ');
      break;
    case 'SRV':
      rdata = `${d.priority} ${d.weight} ${d.port} ${d.target}`;
      break;
    case 'OPT':
      rdata = '';
      break;
    case 'raw':
      rdata = `\\# ${d.bytes.length} ${Array.from(d.bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
      break;
  }
  return `${rr.name}\t${rr.ttl}\t${rr.class === CLASS_IN ? 'IN' : `CLASS${rr.class}`}\t${typeName(rr.type)}\t${rdata}`;
}
