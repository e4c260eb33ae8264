import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../../base/base64.ts';
import { headerChecksum, isTarArchive, readTar, readTarMembers, TarError, writeTar, type TarEntry } from './tar.ts';
import { GNU_TAR_REFERENCE_BASE64 } from './testdata/gnuTarReference.ts';

const reference = decodeBase64(GNU_TAR_REFERENCE_BASE64)!;
const LONG_DIR = '/usr/share/a-rather-long-directory-name-for-testing/and-another-long-directory-name-to-pass';
const LONG_NAME = `/usr/share/${'x'.repeat(110)}.txt`;
const root = { uid: 0, gid: 0, uname: 'root', gname: 'root', mtime: 1700000000 };

describe('readTar on GNU tar output', () => {
  const entries = readTar(reference);

  it.each<[string, Partial<TarEntry>]>([
    ['/etc', { type: 'dir', mode: 0o755 }],
    ['/etc/hostname', { type: 'file', mode: 0o644, data: 'kubelab\n' }],
    ['/bin/busybox', { type: 'file', mode: 0o755, data: 'BB' }],
    ['/bin/ls', { type: 'hardlink', linkname: '/bin/busybox' }],
    ['/bin/sh', { type: 'symlink', mode: 0o777, linkname: 'busybox' }],
    ['/dev/null', { type: 'char', devmajor: 1, devminor: 3 }],
    [`${LONG_DIR}/file-with-a-long-name.txt`, { type: 'file', data: 'long\n' }],
    [LONG_NAME, { type: 'file', data: 'pax\n' }],
    ['/usr/share/longlink', { type: 'symlink', linkname: `${LONG_DIR}/file-with-a-long-name.txt` }],
  ])('%s', (path, expected) => {
    const entry = entries.find((e) => e.path === path);
    expect(entry).toMatchObject({ ...root, ...expected });
  });

  it('keeps the archive order', () => {
    expect(entries.map((e) => e.path).slice(0, 6)).toEqual(['/etc', '/etc/hostname', '/bin', '/bin/busybox', '/bin/ls', '/bin/sh']);
    expect(entries).toHaveLength(15);
  });

  it('finds every header checksum valid', () => {
    let offset = 0;
    let headers = 0;
    while (offset < reference.length) {
      const header = reference.subarray(offset, offset + 512);
      if (header.every((b) => b === 0)) break;
      const stored = parseInt(new TextDecoder().decode(header.subarray(148, 154)), 8);
      expect(headerChecksum(header)).toBe(stored);
      headers++;
      const size = parseInt(new TextDecoder().decode(header.subarray(124, 135)), 8);
      offset += 512 + Math.ceil(size / 512) * 512;
    }
    expect(headers).toBe(18);
  });
});

describe('writeTar', () => {
  it('writes the same bytes as GNU tar, ending with two zero blocks', () => {
    const ours = writeTar(readTar(reference));
    expect(ours.length % 512).toBe(0);
    expect([...ours]).toEqual([...reference.subarray(0, ours.length)]);
    expect(ours.subarray(ours.length - 1024).every((b) => b === 0)).toBe(true);
    expect(reference.subarray(ours.length).every((b) => b === 0)).toBe(true);
  });

  it.each<[string, TarEntry]>([
    ['a sparse binary', { path: '/bin/busybox', type: 'file', mode: 0o755, uid: 0, gid: 0, mtime: 1, data: '\u007fELF head\n', size: 1_131_336 }],
    ['a whiteout', { path: '/etc/.wh.motd', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, data: '' }],
    ['an opaque marker', { path: '/var/cache/.wh..wh..opq', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, data: '' }],
    ['a non-ASCII name', { path: '/home/用户/笔记.txt', type: 'file', mode: 0o600, uid: 1000, gid: 1000, mtime: 5, data: '你好\n' }],
    ['a long user name', { path: '/srv', type: 'dir', mode: 0o2775, uid: 3_000_000, gid: 7, uname: 'a-very-long-user-name-beyond-32-bytes', gname: 'g', mtime: 9 }],
    ['a setuid file', { path: '/usr/bin/passwd', type: 'file', mode: 0o4755, uid: 0, gid: 0, mtime: 9, data: 'x' }],
  ])('round-trips %s', (_, entry) => {
    const [back] = readTar(writeTar([entry]));
    expect(back).toMatchObject({ ...entry, uname: entry.uname ?? '', gname: entry.gname ?? '' });
  });

  it('records a sparse file as stored data plus GNU.sparse.realsize', () => {
    const tar = writeTar([{ path: '/bin/x', type: 'file', mode: 0o755, uid: 0, gid: 0, mtime: 0, data: 'head', size: 5000 }]);
    expect(new TextDecoder().decode(tar.subarray(512, 512 + 28))).toBe('28 GNU.sparse.realsize=5000\n');
    expect(tar.length).toBe(512 * 6);
  });
});

describe('readTar on damaged input', () => {
  it.each([
    ['a bad checksum', (b: Uint8Array) => (b[0] = 0x41), 'archive/tar: invalid tar header'],
    ['a truncated body', (b: Uint8Array) => b.subarray(0, 600), 'unexpected EOF'],
  ])('rejects %s', (_, damage, message) => {
    const tar = writeTar([{ path: '/f', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, data: 'x'.repeat(700) }]);
    const result = damage(tar);
    const input = result instanceof Uint8Array ? result : tar;
    expect(() => readTar(input)).toThrow(new TarError(message));
  });
});

describe('isTarArchive and readTarMembers', () => {
  const text = new TextEncoder().encode('not a tar archive, just text\n'.repeat(40));
  it.each<[string, Uint8Array, boolean]>([
    ['GNU tar output', reference, true],
    ['one member', writeTar([{ path: '/a', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, data: 'x' }]), true],
    ['nothing', new Uint8Array(0), false],
    ['an end-of-archive marker alone', writeTar([]), false],
    ['text longer than a block', text, false],
    ['a short header', writeTar([{ path: '/a', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 }]).subarray(0, 511), false],
  ])('%s: %s', (_, bytes, expected) => {
    expect(isTarArchive(bytes)).toBe(expected);
  });

  it('keeps the stored names and the root member', () => {
    const tar = writeTar([
      { name: './', path: '/', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 },
      { name: './etc/hostname', path: '/etc/hostname', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, data: 'h\n' },
    ]);
    expect(readTarMembers(tar).map((m) => [m.name, m.path])).toEqual([['./', '/'], ['./etc/hostname', '/etc/hostname']]);
    expect(readTar(tar)).toEqual([{ path: '/etc/hostname', type: 'file', mode: 0o644, uid: 0, gid: 0, uname: '', gname: '', mtime: 0, data: 'h\n' }]);
  });
});
