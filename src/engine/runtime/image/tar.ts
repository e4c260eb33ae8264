/**
 * POSIX tar (pax interchange format, IEEE Std 1003.1-2001 `pax`) as layer tarballs use it, written byte
 * for byte as GNU tar 1.34 writes `tar --format=pax --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime`
 * (the reference archive in testdata/ proves it), read as Go's archive/tar reads it.
 *
 * Each member is a 512-byte ustar header (octal numeric fields, `ustar\0` magic, version `00`, checksum =
 * sum of the header's unsigned bytes with the checksum field counted as spaces, written as six octal
 * digits, NUL, space), then its data padded to 512 bytes; the archive ends with two zero blocks (as Go
 * writes it; GNU tar pads further to a 10240-byte record). A value that does not fit its ustar field (a path
 * or link target longer than 100 bytes or not ASCII, a user or group name over 32 bytes, an id over
 * 0o7777777) goes into a pax extended header (typeflag `x`, named `<dir>/PaxHeaders/<base>`), and the
 * ustar field holds a truncated copy.
 *
 * Sparse files: file data is text (see TarEntry.data). A file whose apparent size is larger than its data
 * (a 1.1 MB binary represented by a short head) stores only its data, and records the apparent size in the
 * pax record `GNU.sparse.realsize`, the key GNU tar uses for a sparse file's real size. Unlike a real GNU
 * sparse member there is no `GNU.sparse.major`/sparse map, so GNU tar extracts such a member as a regular
 * file holding just the stored data, and our reader gives it back its apparent size.
 *
 * Left out: block and FIFO devices, xattrs (`SCHILY.xattr.*`), sub-second timestamps and GNU sparse maps.
 */

/** What a tar member is. `char` is a character device (overlay whiteouts on disk are char 0:0). */
export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char';

/** One member of a layer tarball, with an absolute path (`/etc/passwd`), as the emulated VFS sees it. */
export interface TarEntry {
  /** Absolute path, no trailing slash: `/etc`, `/etc/passwd`. The tar name drops the leading `/`. */
  path: string;
  /** The member's type. */
  type: TarEntryType;
  /** Permission bits, including setuid/setgid/sticky (0o7777). */
  mode: number;
  /** Owner user id. */
  uid: number;
  /** Owner group id. */
  gid: number;
  /** Owner user name, as tar records it (`root`); empty when unknown. */
  uname?: string;
  /** Owner group name; empty when unknown. */
  gname?: string;
  /** Modification time, whole seconds since the Unix epoch. */
  mtime: number;
  /** A symlink's target as written, or a hardlink's target as an absolute path. */
  linkname?: string;
  /** A regular file's content, as UTF-8 text. */
  data?: string;
  /** A regular file's apparent size in bytes, when larger than its data's UTF-8 length (a sparse binary). */
  size?: number;
  /** A character device's major number. */
  devmajor?: number;
  /** A character device's minor number. */
  devminor?: number;
  /**
   * The member name to store when it is not `tarName(path)`: GNU tar keeps an operand's spelling
   * (`./etc/`, `dir//sub`). readTarMembers fills it in; layer code leaves it out.
   */
  name?: string;
}

/** A member as the archive names it: the entry plus its stored name (`./`, `./etc/hostname`, `dir/`). */
export type TarMember = TarEntry & { name: string };

/** A malformed archive; the message is Go archive/tar's. */
export class TarError extends Error {
  override readonly name = 'TarError';
}

/** The pax record key for a sparse file's apparent size. */
export const PAX_GNU_SPARSE_REALSIZE = 'GNU.sparse.realsize';

const BLOCK = 512;
const TYPEFLAGS: Record<TarEntryType, string> = { file: '0', hardlink: '1', symlink: '2', char: '3', dir: '5' };
const TYPES_BY_FLAG: Record<string, TarEntryType> = { '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'char', '5': 'dir' };
const MAX_ID = 0o7777777;
const MAX_SIZE = 0o77777777777;
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

// ustar field offsets and lengths
const F = {
  name: [0, 100],
  mode: [100, 8],
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
  chksum: [148, 8],
  typeflag: [156, 1],
  linkname: [157, 100],
  magic: [257, 6],
  version: [263, 2],
  uname: [265, 32],
  gname: [297, 32],
  devmajor: [329, 8],
  devminor: [337, 8],
  prefix: [345, 155],
} as const;

type Field = keyof typeof F;

/** The tar name of an entry: its `name` if set, else no leading slash and a trailing slash for directories. */
export function tarName(entry: Pick<TarEntry, 'path' | 'type' | 'name'>): string {
  if (entry.name !== undefined) return entry.name;
  const rel = entry.path.replace(/^\/+/, '');
  return entry.type === 'dir' ? `${rel}/` : rel;
}

/** The tar bytes of `entries`, in the order given (see the module comment for the exact byte form). */
export function writeTar(entries: Iterable<TarEntry>): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const push = (chunk: Uint8Array) => {
    chunks.push(chunk);
    total += chunk.length;
  };
  for (const entry of entries) {
    for (const chunk of encodeMember(entry)) push(chunk);
  }
  push(new Uint8Array(2 * BLOCK));
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function encodeMember(entry: TarEntry): Uint8Array[] {
  const name = tarName(entry);
  const nameBytes = utf8.encode(name);
  const link = entry.type === 'hardlink' ? (entry.linkname ?? '').replace(/^\/+/, '') : (entry.linkname ?? '');
  const linkBytes = utf8.encode(link);
  const data = entry.type === 'file' ? utf8.encode(entry.data ?? '') : new Uint8Array(0);
  const uname = utf8.encode(entry.uname ?? '');
  const gname = utf8.encode(entry.gname ?? '');

  const records: [string, string][] = [];
  if (!fitsUstar(name, nameBytes, 100)) records.push(['path', name]);
  if (!fitsUstar(link, linkBytes, 100)) records.push(['linkpath', link]);
  if (entry.uid > MAX_ID) records.push(['uid', String(entry.uid)]);
  if (entry.gid > MAX_ID) records.push(['gid', String(entry.gid)]);
  if (!fitsUstar(entry.uname ?? '', uname, 32)) records.push(['uname', entry.uname ?? '']);
  if (!fitsUstar(entry.gname ?? '', gname, 32)) records.push(['gname', entry.gname ?? '']);
  if (data.length > MAX_SIZE) records.push(['size', String(data.length)]);
  if (entry.type === 'file' && entry.size !== undefined && entry.size > data.length) {
    records.push([PAX_GNU_SPARSE_REALSIZE, String(entry.size)]);
  }

  const out: Uint8Array[] = [];
  if (records.length > 0) {
    const paxData = utf8.encode(records.map(([k, v]) => paxRecord(k, v)).join(''));
    const header = new Uint8Array(BLOCK);
    putBytes(header, 'name', utf8.encode(paxHeaderName(name)));
    putOctal(header, 'mode', 0o644);
    putOctal(header, 'uid', 0);
    putOctal(header, 'gid', 0);
    putOctal(header, 'size', paxData.length);
    putOctal(header, 'mtime', entry.mtime);
    header[F.typeflag[0]] = 'x'.charCodeAt(0);
    putBytes(header, 'magic', utf8.encode('ustar\0'));
    putBytes(header, 'version', utf8.encode('00'));
    putChecksum(header);
    out.push(header, padded(paxData));
  }

  const header = new Uint8Array(BLOCK);
  putBytes(header, 'name', nameBytes);
  putOctal(header, 'mode', entry.mode & 0o7777);
  putOctal(header, 'uid', entry.uid > MAX_ID ? 0 : entry.uid);
  putOctal(header, 'gid', entry.gid > MAX_ID ? 0 : entry.gid);
  putOctal(header, 'size', data.length > MAX_SIZE ? 0 : data.length);
  putOctal(header, 'mtime', entry.mtime);
  header[F.typeflag[0]] = TYPEFLAGS[entry.type].charCodeAt(0);
  putBytes(header, 'linkname', linkBytes);
  putBytes(header, 'magic', utf8.encode('ustar\0'));
  putBytes(header, 'version', utf8.encode('00'));
  putBytes(header, 'uname', uname);
  putBytes(header, 'gname', gname);
  putOctal(header, 'devmajor', entry.type === 'char' ? (entry.devmajor ?? 0) : 0);
  putOctal(header, 'devminor', entry.type === 'char' ? (entry.devminor ?? 0) : 0);
  putChecksum(header);
  out.push(header);
  if (data.length > 0) out.push(padded(data));
  return out;
}

function fitsUstar(text: string, bytes: Uint8Array, size: number): boolean {
  return bytes.length <= size && bytes.length === text.length;
}

/** One pax record, `"<len> <key>=<value>\n"`, where `<len>` counts the whole record including itself. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  const restLen = utf8.encode(rest).length;
  let len = restLen + 1;
  while (String(len).length + restLen !== len) len = String(len).length + restLen;
  return `${len}${rest}`;
}

/** GNU tar's `%d/PaxHeaders/%f`: the member's directory, `PaxHeaders`, its base name. */
function paxHeaderName(name: string): string {
  const trimmed = name.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  const dir = slash < 0 ? '.' : trimmed.slice(0, slash);
  return `${dir}/PaxHeaders/${trimmed.slice(slash + 1)}`;
}

function putBytes(header: Uint8Array, field: Field, bytes: Uint8Array): void {
  const [offset, length] = F[field];
  header.set(bytes.subarray(0, length), offset);
}

/** An octal number zero-padded to fill the field but its last byte, which stays NUL. */
function putOctal(header: Uint8Array, field: Field, value: number): void {
  const [offset, length] = F[field];
  const digits = Math.trunc(value).toString(8).padStart(length - 1, '0');
  for (let i = 0; i < length - 1; i++) header[offset + i] = digits.charCodeAt(i);
  header[offset + length - 1] = 0;
}

function putChecksum(header: Uint8Array): void {
  const sum = headerChecksum(header);
  const [offset] = F.chksum;
  const digits = sum.toString(8).padStart(6, '0');
  for (let i = 0; i < 6; i++) header[offset + i] = digits.charCodeAt(i);
  header[offset + 6] = 0;
  header[offset + 7] = 0x20;
}

/** The ustar checksum of a header block: its unsigned bytes summed, the checksum field counted as spaces. */
export function headerChecksum(header: Uint8Array): number {
  const [offset, length] = F.chksum;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= offset && i < offset + length ? 0x20 : header[i]!;
  return sum;
}

function padded(data: Uint8Array): Uint8Array {
  const size = Math.ceil(data.length / BLOCK) * BLOCK;
  if (size === data.length) return data;
  const out = new Uint8Array(size);
  out.set(data);
  return out;
}

/** The members of a tar archive (ustar, pax and GNU long-name members), with absolute paths; no root (`./`). */
export function readTar(bytes: Uint8Array): TarEntry[] {
  return readTarMembers(bytes)
    .filter((m) => m.path !== '/')
    .map(({ name: _name, ...entry }) => entry);
}

/**
 * Whether `bytes` start with a tar member, as Go's `tar.NewReader(r).Next()` succeeding decides it (moby's
 * ADD tells a local archive by this, not by its name): a full header block, not all zeros, whose checksum
 * holds. Empty input, an end-of-archive block and text are not archives.
 */
export function isTarArchive(bytes: Uint8Array): boolean {
  if (bytes.length < BLOCK) return false;
  const header = bytes.subarray(0, BLOCK);
  if (header.every((b) => b === 0)) return false;
  const stored = readOctal(header, 'chksum');
  return stored === headerChecksum(header) || stored === signedChecksum(header);
}

/** Every member of a tar archive in order, the root (`./`) included, each with its stored name. */
export function readTarMembers(bytes: Uint8Array): TarMember[] {
  const entries: TarMember[] = [];
  let pax: Map<string, string> = new Map();
  let longName: string | undefined;
  let longLink: string | undefined;
  let offset = 0;
  while (offset + BLOCK <= bytes.length) {
    const header = bytes.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const stored = readOctal(header, 'chksum');
    if (stored !== headerChecksum(header) && stored !== signedChecksum(header)) {
      throw new TarError('archive/tar: invalid tar header');
    }
    const flag = String.fromCharCode(header[F.typeflag[0]]!);
    const size = Number(pax.get('size') ?? readNumber(header, 'size'));
    const dataStart = offset + BLOCK;
    if (dataStart + size > bytes.length) throw new TarError('unexpected EOF');
    const data = bytes.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (flag === 'x') {
      pax = new Map([...pax, ...parsePax(data)]);
      continue;
    }
    if (flag === 'g') continue;
    if (flag === 'L') {
      longName = readCString(data);
      continue;
    }
    if (flag === 'K') {
      longLink = readCString(data);
      continue;
    }
    const type = TYPES_BY_FLAG[flag];
    if (!type) throw new TarError(`archive/tar: unsupported type flag ${JSON.stringify(flag)}`);

    const prefix = readString(header, 'prefix');
    const rawName = pax.get('path') ?? longName ?? (prefix ? `${prefix}/${readString(header, 'name')}` : readString(header, 'name'));
    const path = absolutePath(rawName);
    const entry: TarMember = {
      name: rawName,
      path,
      type,
      mode: readOctal(header, 'mode') & 0o7777,
      uid: Number(pax.get('uid') ?? readNumber(header, 'uid')),
      gid: Number(pax.get('gid') ?? readNumber(header, 'gid')),
      uname: pax.get('uname') ?? readString(header, 'uname'),
      gname: pax.get('gname') ?? readString(header, 'gname'),
      mtime: Math.floor(Number(pax.get('mtime') ?? readNumber(header, 'mtime'))),
    };
    const linkname = pax.get('linkpath') ?? longLink ?? readString(header, 'linkname');
    if (type === 'symlink') entry.linkname = linkname;
    if (type === 'hardlink') entry.linkname = absolutePath(linkname);
    if (type === 'file') {
      entry.data = utf8Decoder.decode(data);
      const realsize = pax.get(PAX_GNU_SPARSE_REALSIZE);
      if (realsize !== undefined && Number(realsize) > data.length) entry.size = Number(realsize);
    }
    if (type === 'char') {
      entry.devmajor = readOctal(header, 'devmajor');
      entry.devminor = readOctal(header, 'devminor');
    }
    pax = new Map();
    longName = undefined;
    longLink = undefined;
    entries.push(entry);
  }
  return entries;
}

function absolutePath(name: string): string {
  const rel = name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
  return rel === '' || rel === '.' ? '/' : `/${rel}`;
}

function signedChecksum(header: Uint8Array): number {
  const [offset, length] = F.chksum;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= offset && i < offset + length ? 0x20 : (header[i]! << 24) >> 24;
  return sum;
}

function parsePax(data: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space < 0) throw new TarError('archive/tar: invalid tar header');
    const length = Number(utf8Decoder.decode(data.subarray(offset, space)));
    if (!Number.isInteger(length) || length <= space - offset) throw new TarError('archive/tar: invalid tar header');
    const record = utf8Decoder.decode(data.subarray(space + 1, offset + length - 1));
    const eq = record.indexOf('=');
    if (eq < 0) throw new TarError('archive/tar: invalid tar header');
    records.set(record.slice(0, eq), record.slice(eq + 1));
    offset += length;
  }
  return records;
}

function fieldBytes(header: Uint8Array, field: Field): Uint8Array {
  const [offset, length] = F[field];
  return header.subarray(offset, offset + length);
}

function readCString(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return utf8Decoder.decode(nul < 0 ? bytes : bytes.subarray(0, nul));
}

function readString(header: Uint8Array, field: Field): string {
  return readCString(fieldBytes(header, field));
}

function readOctal(header: Uint8Array, field: Field): number {
  const text = readString(header, field).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

/** A numeric field: octal, or GNU base-256 when the first byte has its high bit set. */
function readNumber(header: Uint8Array, field: Field): number {
  const bytes = fieldBytes(header, field);
  if ((bytes[0]! & 0x80) === 0) return readOctal(header, field);
  let value = bytes[0]! & 0x7f;
  for (let i = 1; i < bytes.length; i++) value = value * 256 + bytes[i]!;
  return value;
}
