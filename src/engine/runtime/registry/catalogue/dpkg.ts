/**
 * Debian-family root file systems (Debian bookworm, Ubuntu noble) as debuerreotype builds the official
 * images: merged /usr (`/bin`, `/lib`, `/sbin` are symlinks into `/usr`), the essential and required
 * packages' main files, dpkg's database `/var/lib/dpkg/status` (one stanza per package: Package,
 * Essential, Status, Priority, Section, Installed-Size, Maintainer, Architecture, Version, Description),
 * and the account files. A `slim` tree leaves out documentation, man pages and translations, as the
 * `-slim` tags do. Binary sizes are the real ones, so `du` and `docker images` show plausible numbers.
 * Left out: `/var/lib/dpkg/info/*.list` (so `dpkg -L` has nothing to read) and most of /usr/share.
 */
import { Rootfs, triplet, type Arch } from './rootfs.ts';

/** One installed package: `name version section priority installed-KiB essential(yes|no) description`. */
export interface DpkgPackage {
  /** Package name. */
  name: string;
  /** Version. */
  version: string;
  /** Section. */
  section: string;
  /** Priority: required, important, standard, optional. */
  priority: string;
  /** Installed-Size, KiB. */
  installedSize: number;
  /** Essential: yes. */
  essential: boolean;
  /** The one-line description. */
  description: string;
}

/** Parse a package table: one package per line, fields separated by `|`. */
export function dpkgTable(table: string): DpkgPackage[] {
  return table
    .trim()
    .split('\n')
    .map((line) => {
      const [name, version, section, priority, size, essential, description] = line.split('|').map((f) => f.trim());
      return { name: name!, version: version!, section: section!, priority: priority!, installedSize: Number(size), essential: essential === 'yes', description: description! };
    });
}

/** /var/lib/dpkg/status for `packages`, sorted by name as dpkg writes it. */
export function dpkgStatus(packages: readonly DpkgPackage[], arch: Arch, maintainer: string): string {
  return [...packages]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((p) =>
      [
        `Package: ${p.name}`,
        ...(p.essential ? ['Essential: yes'] : []),
        'Status: install ok installed',
        `Priority: ${p.priority}`,
        `Section: ${p.section}`,
        `Installed-Size: ${p.installedSize}`,
        `Maintainer: ${maintainer}`,
        `Architecture: ${p.name.startsWith('lib') || p.name === 'base-files' ? arch : p.section === 'admin' || p.section === 'utils' || p.section === 'shells' ? arch : 'all'}`,
        `Version: ${p.version}`,
        `Description: ${p.description}`,
      ].join('\n') + '\n',
    )
    .join('\n');
}

/** coreutils' programs in /usr/bin, with their sizes on x86-64 (Debian 12). */
const COREUTILS: Record<string, number> = {
  '[': 51_656, arch: 35_336, b2sum: 55_608, base32: 39_432, base64: 39_432, basename: 35_336, basenc: 47_624, cat: 44_016,
  chcon: 68_104, chgrp: 68_104, chmod: 64_008, chown: 72_200, cksum: 100_952, comm: 39_432, cp: 141_824, csplit: 108_104,
  cut: 47_624, date: 100_712, dd: 72_424, df: 96_648, dir: 151_344, dircolors: 47_624, dirname: 35_336, du: 104_840,
  echo: 35_336, env: 43_528, expand: 39_432, expr: 43_528, factor: 72_200, false: 27_144, fmt: 39_432, fold: 39_432,
  groups: 35_336, head: 43_528, hostid: 35_336, id: 39_432, install: 149_928, join: 51_720, link: 35_336, ln: 72_200,
  logname: 35_336, ls: 151_344, md5sum: 47_624, mkdir: 72_232, mkfifo: 39_432, mknod: 43_528, mktemp: 39_432, mv: 137_728,
  nice: 35_336, nl: 39_432, nohup: 35_336, nproc: 35_336, numfmt: 63_944, od: 68_104, paste: 35_336, pathchk: 35_336,
  pinky: 39_432, pr: 72_200, printenv: 35_336, printf: 51_720, ptx: 59_912, pwd: 39_432, readlink: 39_432, realpath: 39_432,
  rm: 68_104, rmdir: 39_432, runcon: 35_336, seq: 47_624, sha1sum: 43_528, sha224sum: 51_720, sha256sum: 51_720,
  sha384sum: 51_720, sha512sum: 51_720, shred: 55_816, shuf: 51_720, sleep: 35_336, sort: 117_360, split: 55_816,
  stat: 84_488, stdbuf: 47_624, stty: 76_296, sum: 39_432, sync: 35_336, tac: 35_336, tail: 68_104, tee: 39_432,
  test: 43_528, timeout: 39_432, touch: 92_424, tr: 47_624, true: 27_144, truncate: 35_336, tsort: 47_624, tty: 35_336,
  uname: 35_336, unexpand: 39_432, uniq: 43_528, unlink: 35_336, users: 35_336, vdir: 151_344, wc: 47_624, who: 51_720,
  whoami: 35_336, yes: 35_336,
};

/** Other programs of the base system: path → size. */
const PROGRAMS: Record<string, number> = {
  '/usr/bin/bash': 1_265_648, '/usr/bin/dash': 125_640, '/usr/bin/grep': 203_152, '/usr/bin/sed': 121_440,
  '/usr/bin/tar': 528_840, '/usr/bin/gzip': 98_136, '/usr/bin/find': 224_896, '/usr/bin/xargs': 64_040,
  '/usr/bin/mawk': 162_176, '/usr/bin/hostname': 22_896, '/usr/bin/login': 60_120, '/usr/bin/su': 72_000,
  '/usr/bin/passwd': 68_248, '/usr/bin/mount': 59_704, '/usr/bin/umount': 39_160, '/usr/bin/dmesg': 80_064,
  '/usr/bin/more': 51_264, '/usr/bin/dpkg': 310_288, '/usr/bin/dpkg-query': 150_064, '/usr/bin/dpkg-deb': 150_064,
  '/usr/bin/apt': 18_824, '/usr/bin/apt-get': 31_112, '/usr/bin/apt-cache': 88_416, '/usr/bin/apt-config': 27_016,
  '/usr/bin/perl': 3_975_280, '/usr/bin/diff': 212_336, '/usr/bin/cmp': 68_200, '/usr/bin/gpgv': 290_504,
  '/usr/bin/tic': 88_152, '/usr/bin/tput': 27_048, '/usr/bin/clear': 14_648, '/usr/bin/reset': 31_112,
  '/usr/bin/getopt': 22_840, '/usr/bin/lsblk': 133_704, '/usr/bin/nsenter': 43_400, '/usr/bin/unshare': 47_520,
  '/usr/bin/setsid': 14_648, '/usr/bin/taskset': 31_032, '/usr/bin/run-parts': 27_016, '/usr/bin/which.debianutils': 1_915,
  '/usr/bin/tempfile': 14_528, '/usr/bin/debconf': 2_859, '/usr/bin/chfn': 62_672, '/usr/bin/newgrp': 40_496,
  '/usr/sbin/chroot': 39_432, '/usr/sbin/useradd': 141_264, '/usr/sbin/userdel': 96_208, '/usr/sbin/usermod': 137_168,
  '/usr/sbin/groupadd': 84_096, '/usr/sbin/adduser': 50_398, '/usr/sbin/ldconfig': 952_592, '/usr/sbin/mkfs.ext4': 133_224,
  '/usr/sbin/e2fsck': 344_112, '/usr/sbin/fsck': 55_232, '/usr/sbin/blkid': 55_568, '/usr/sbin/losetup': 109_192,
  '/usr/sbin/pivot_root': 14_648, '/usr/sbin/switch_root': 18_744, '/usr/sbin/start-stop-daemon': 48_920,
  '/usr/sbin/nologin': 14_528, '/usr/sbin/killall5': 22_904, '/usr/sbin/agetty': 68_872, '/usr/bin/zdump': 27_016,
};

/** Libraries in /usr/lib/<triplet>: name → size. */
const LIBRARIES: Record<string, number> = {
  'libc.so.6': 1_922_136, 'libm.so.6': 907_784, 'libresolv.so.2': 68_552, 'libstdc++.so.6.0.30': 2_190_440,
  'libgcc_s.so.1': 125_312, 'libsystemd.so.0.35.0': 915_896, 'libudev.so.1.7.5': 195_248, 'libapt-pkg.so.6.0.0': 2_163_040,
  'libgnutls.so.30.34.3': 2_075_952, 'libgcrypt.so.20.4.1': 1_297_880, 'libp11-kit.so.0.3.0': 1_262_784,
  'libunistring.so.2.2.0': 1_766_448, 'libdb-5.3.so': 1_790_504, 'libzstd.so.1.5.4': 804_400, 'liblzma.so.5.4.1': 178_040,
  'libz.so.1.2.13': 121_280, 'libbz2.so.1.0.4': 74_688, 'libselinux.so.1': 166_280, 'libpcre2-8.so.0.11.2': 629_384,
  'libtinfo.so.6.4': 199_728, 'libmount.so.1.1.0': 371_784, 'libblkid.so.1.1.0': 277_064, 'libsmartcols.so.1.1.0': 228_360,
  'libuuid.so.1.3.0': 34_872, 'libcap.so.2.66': 39_056, 'libacl.so.1.1.2301': 39_128, 'libattr.so.1.1.2501': 26_688,
  'libaudit.so.1.0.0': 133_200, 'libcrypt.so.1.1.0': 206_776, 'libffi.so.8.1.2': 43_128, 'libgmp.so.10.4.1': 661_904,
  'libhogweed.so.6.6': 309_352, 'libnettle.so.8.6': 338_160, 'libidn2.so.0.3.8': 133_176, 'libtasn1.so.6.6.3': 84_480,
  'liblz4.so.1.9.4': 129_248, 'libmd.so.0.0.5': 55_432, 'libseccomp.so.2.5.4': 133_032, 'libsemanage.so.2': 299_344,
  'libsepol.so.2': 758_032, 'libxxhash.so.0.8.1': 133_000, 'libext2fs.so.2.4': 433_208, 'libpam.so.0.85.1': 63_904,
  'libgpg-error.so.0.33.1': 149_880, 'libdebconfclient.so.0.0.0': 14_528,
  'gconv/gconv-modules.cache': 27_010, 'gconv/UTF-16.so': 18_744, 'gconv/UTF-32.so': 18_744, 'gconv/UTF-7.so': 27_016,
  'gconv/IBM1047.so': 14_648, 'gconv/ISO8859-1.so': 14_648, 'gconv/libGB.so': 3_105_064, 'gconv/libJIS.so': 1_902_632,
  'gconv/libKSC.so': 1_247_304, 'gconv/libCNS.so': 465_016, 'gconv/BIG5.so': 108_608, 'gconv/EUC-JP.so': 18_744,
  'perl-base/POSIX.pm': 8_723, 'perl-base/auto/POSIX/POSIX.so': 121_056, 'perl-base/unicore/Name.pl': 1_586_642,
  'perl-base/unicore/lib': 2_875_904, 'perl-base/Encode.pm': 32_510, 'perl-base/auto/Encode/Encode.so': 1_834_208,
  'security/pam_unix.so': 63_816, 'security/pam_env.so': 22_808, 'security/pam_limits.so': 22_904,
};

/** How a distribution's tree differs: its files, accounts, packages and naming. */
export interface DpkgDistro {
  /** /usr/lib/os-release. */
  osRelease: string;
  /** /etc/debian_version. */
  debianVersion: string;
  /** /etc/issue's first line. */
  issue: string;
  /** The packages, for dpkg status. */
  packages: DpkgPackage[];
  /** The Maintainer field. */
  maintainer: string;
  /** Extra /etc/passwd and /etc/group lines (Ubuntu's `ubuntu` user). */
  extraUsers?: { passwd: string; group: string; home: string; uid: number };
  /** /etc/apt/sources.list.d/<name>, and its text. */
  sources: [string, string];
  /** Build time, seconds. */
  mtime: number;
  /** Apparent size of documentation and translations in a full (non-slim) tree, bytes. */
  docsSize: number;
  /** tzdata's /usr/share/zoneinfo, apparent bytes. */
  zoneinfoSize: number;
  /** Size adjustment so `du -s /` matches the real image, bytes (debconf's templates, apt's caches…). */
  varSize: number;
}

export const DEBIAN_PASSWD = `root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
_apt:x:42:65534::/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
`;

export const DEBIAN_GROUP = `root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
news:x:9:
uucp:x:10:
man:x:12:
proxy:x:13:
kmem:x:15:
dialout:x:20:
fax:x:21:
voice:x:22:
cdrom:x:24:
floppy:x:25:
tape:x:26:
sudo:x:27:
audio:x:29:
dip:x:30:
www-data:x:33:
backup:x:34:
operator:x:37:
list:x:38:
irc:x:39:
src:x:40:
shadow:x:42:
utmp:x:43:
video:x:44:
sasl:x:45:
plugdev:x:46:
staff:x:50:
games:x:60:
users:x:100:
nogroup:x:65534:
`;

const BASHRC = `# ~/.bashrc: executed by bash(1) for non-login shells.

# Note: PS1 and umask are already set in /etc/profile. You should not
# need this unless you want different defaults for root.
# PS1='\${debian_chroot:+($debian_chroot)}\\h:\\w\\$ '
# umask 022
`;

const PROFILE = `# /etc/profile: system-wide .profile file for the Bourne shell (sh(1))
# and Bourne compatible shells (bash(1), ksh(1), ash(1), ...).

if [ "$(id -u)" -eq 0 ]; then
  PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
else
  PATH="/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games"
fi
export PATH

if [ "\${PS1-}" ]; then
  if [ "\${BASH-}" ] && [ "$BASH" != "/bin/sh" ]; then
    # The file bash.bashrc already sets the default PS1.
    # PS1='\\h:\\w\\$ '
    if [ -f /etc/bash.bashrc ]; then
      . /etc/bash.bashrc
    fi
  else
    if [ "$(id -u)" -eq 0 ]; then
      PS1='# '
    else
      PS1='$ '
    fi
  fi
fi

if [ -d /etc/profile.d ]; then
  for i in /etc/profile.d/*.sh; do
    if [ -r $i ]; then
      . $i
    fi
  done
  unset i
fi
`;

/** The root file system of `distro` for `arch`; `slim` leaves out documentation. */
export function dpkgRootfs(distro: DpkgDistro, arch: Arch, slim: boolean): Rootfs {
  const fs = new Rootfs(arch, distro.mtime);
  const lib = `/usr/lib/${triplet(arch)}`;
  fs.symlink('/bin', 'usr/bin').symlink('/lib', 'usr/lib').symlink('/sbin', 'usr/sbin');
  if (arch === 'amd64') fs.symlink('/lib64', 'usr/lib64').symlink('/usr/lib64/ld-linux-x86-64.so.2', `../lib/${triplet(arch)}/ld-linux-x86-64.so.2`);
  for (const d of ['/boot', '/dev', '/home', '/media', '/mnt', '/opt', '/proc', '/run/lock', '/srv', '/sys', '/usr/games', '/usr/include', '/usr/libexec', '/usr/local/bin', '/usr/local/etc', '/usr/local/games', '/usr/local/include', '/usr/local/lib', '/usr/local/sbin', '/usr/local/share', '/usr/local/src', '/usr/src', '/var/backups', '/var/cache/apt/archives/partial', '/var/lib/apt/lists/partial', '/var/lib/misc', '/var/local', '/var/log/apt', '/var/mail', '/var/opt', '/var/spool', '/etc/profile.d', '/etc/ld.so.conf.d']) fs.dir(d);
  fs.dir('/root', { mode: 0o700 }).dir('/tmp', { mode: 0o1777 }).dir('/var/tmp', { mode: 0o1777 });
  fs.symlink('/var/run', '/run').symlink('/var/lock', '/run/lock');

  fs.library(`${lib}/${arch === 'amd64' ? 'ld-linux-x86-64.so.2' : 'ld-linux-aarch64.so.1'}`, 210_968);
  for (const [name, size] of Object.entries(LIBRARIES)) {
    fs.library(`${lib}/${name}`, size);
    const so = /^(lib[^/]+\.so\.\d+)\.[\d.]+$/.exec(name);
    if (so) fs.symlink(`${lib}/${so[1]}`, name);
  }
  for (const [name, size] of Object.entries(COREUTILS)) fs.binary(`/usr/bin/${name}`, name, size);
  for (const [path, size] of Object.entries(PROGRAMS)) fs.binary(path, path.slice(path.lastIndexOf('/') + 1), size);
  fs.symlink('/usr/bin/sh', 'dash').symlink('/usr/bin/rbash', 'bash').symlink('/usr/bin/awk', '/etc/alternatives/awk').symlink('/etc/alternatives/awk', '/usr/bin/mawk');
  fs.symlink('/usr/bin/which', '/etc/alternatives/which').symlink('/etc/alternatives/which', '/usr/bin/which.debianutils');
  fs.symlink('/usr/bin/pager', '/etc/alternatives/pager').symlink('/etc/alternatives/pager', '/usr/bin/more');
  fs.file('/usr/bin/zcat', '#!/bin/sh\nexec gzip -cd "$@"\n', { mode: 0o755 }).file('/usr/bin/gunzip', '#!/bin/sh\nexec gzip -d "$@"\n', { mode: 0o755 });
  fs.file('/usr/bin/egrep', '#!/bin/sh\ncmd=${0##*/}\necho "$cmd: warning: $cmd is obsolescent; using grep -E" >&2\nexec grep -E "$@"\n', { mode: 0o755 });
  fs.file('/usr/bin/fgrep', '#!/bin/sh\ncmd=${0##*/}\necho "$cmd: warning: $cmd is obsolescent; using grep -F" >&2\nexec grep -F "$@"\n', { mode: 0o755 });

  fs.file('/usr/lib/os-release', distro.osRelease).symlink('/etc/os-release', '../usr/lib/os-release');
  fs.file('/etc/debian_version', `${distro.debianVersion}\n`);
  fs.file('/etc/issue', `${distro.issue} \\n \\l\n\n`).file('/etc/issue.net', `${distro.issue}\n`);
  const extra = distro.extraUsers;
  fs.file('/etc/passwd', DEBIAN_PASSWD + (extra?.passwd ?? '')).file('/etc/group', DEBIAN_GROUP + (extra?.group ?? ''));
  fs.file('/etc/shadow', (DEBIAN_PASSWD + (extra?.passwd ?? '')).replace(/:x:.*$/gm, ':*:19000:0:99999:7:::'), { mode: 0o640, gid: 42 });
  fs.file('/etc/gshadow', (DEBIAN_GROUP + (extra?.group ?? '')).replace(/:x:/g, ':*::'), { mode: 0o640, gid: 42 });
  if (extra) {
    fs.dir(extra.home, { mode: 0o750, uid: extra.uid, gid: extra.uid });
    fs.file(`${extra.home}/.bashrc`, BASHRC, { uid: extra.uid, gid: extra.uid });
  }
  fs.file('/etc/hostname', 'localhost\n').file('/etc/shells', '# /etc/shells: valid login shells\n/bin/sh\n/usr/bin/sh\n/bin/bash\n/usr/bin/bash\n/bin/rbash\n/usr/bin/rbash\n/bin/dash\n/usr/bin/dash\n');
  fs.file('/etc/profile', PROFILE).file('/etc/bash.bashrc', '# System-wide .bashrc file for interactive bash(1) shells.\n\n# If not running interactively, don\'t do anything\n[ -z "$PS1" ] && return\n\nPS1=\'${debian_chroot:+($debian_chroot)}\\u@\\h:\\w\\$ \'\n');
  fs.file('/root/.bashrc', BASHRC).file('/root/.profile', '# ~/.profile: executed by Bourne-compatible login shells.\n\nif [ "$BASH" ]; then\n  if [ -f ~/.bashrc ]; then\n    . ~/.bashrc\n  fi\nfi\n\nmesg n 2> /dev/null || true\n');
  fs.file('/etc/skel/.bashrc', BASHRC).file('/etc/skel/.profile', '# ~/.profile: executed by the command interpreter for login shells.\n').file('/etc/skel/.bash_logout', '# ~/.bash_logout: executed by bash(1) when login shell exits.\n');
  fs.file('/etc/nsswitch.conf', '# /etc/nsswitch.conf\n\npasswd:         files\ngroup:          files\nshadow:         files\ngshadow:        files\n\nhosts:          files dns\nnetworks:       files\n\nprotocols:      db files\nservices:       db files\nethers:         db files\nrpc:            db files\n\nnetgroup:       nis\n');
  fs.file('/etc/ld.so.conf', 'include /etc/ld.so.conf.d/*.conf\n\n').file(`/etc/ld.so.conf.d/${triplet(arch)}.conf`, `# Multiarch support\n/usr/local/lib/${triplet(arch)}\n/lib/${triplet(arch)}\n/usr/lib/${triplet(arch)}\n`);
  fs.file('/etc/ld.so.cache', 'ld.so-1.7.0', { size: 8_531 }).file('/etc/timezone', 'Etc/UTC\n').symlink('/etc/localtime', '/usr/share/zoneinfo/Etc/UTC');
  fs.file('/etc/login.defs', 'MAIL_DIR        /var/mail\nFAILLOG_ENAB\t\tyes\nLOG_UNKFAIL_ENAB\tno\nSYSLOG_SU_ENAB\t\tyes\nENV_SUPATH\tPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nENV_PATH\tPATH=/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games\nUMASK\t\t022\nUID_MIN\t\t\t 1000\nUID_MAX\t\t\t60000\nGID_MIN\t\t\t 1000\nGID_MAX\t\t\t60000\n');
  fs.file('/etc/environment', '').file('/etc/motd', '').file('/etc/host.conf', 'multi on\n').file('/etc/deluser.conf', '');
  fs.file(`/etc/apt/sources.list.d/${distro.sources[0]}`, distro.sources[1]);
  fs.file('/etc/apt/apt.conf.d/docker-clean', 'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\nAPT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\n');
  fs.file('/etc/dpkg/dpkg.cfg', '# dpkg configuration file\n\n# Do not enable debsig-verify by default\nno-debsig\n\n# Log status changes and actions to a file.\nlog /var/log/dpkg.log\n');
  if (slim) {
    fs.file('/etc/dpkg/dpkg.cfg.d/docker', '# This is the "slim" variant of the Debian base image.\npath-exclude /usr/share/doc/*\npath-include /usr/share/doc/*/copyright\npath-exclude /usr/share/man/*\npath-exclude /usr/share/groff/*\npath-exclude /usr/share/info/*\npath-exclude /usr/share/locale/*\npath-include /usr/share/locale/locale.alias\n');
  }
  fs.file('/var/lib/dpkg/status', dpkgStatus(distro.packages, arch, distro.maintainer)).file('/var/lib/dpkg/available', '');
  fs.file('/var/lib/dpkg/arch', `${arch}\n`).file('/var/log/dpkg.log', '', { size: 48_512 });
  fs.file('/var/cache/debconf/templates.dat', 'Name: debconf/frontend\n', { size: distro.varSize });
  fs.file('/var/cache/debconf/config.dat', 'Name: debconf/frontend\nTemplate: debconf/frontend\nValue: Noninteractive\n', { size: 31_744 });
  fs.file('/usr/share/zoneinfo/Etc/UTC', 'TZif2', { size: 114 }).symlink('/usr/share/zoneinfo/UTC', 'Etc/UTC');
  fs.file('/usr/share/zoneinfo/tzdata.zi', '# version 2024a\n', { size: distro.zoneinfoSize });
  fs.file('/usr/share/zoneinfo/Asia/Shanghai', 'TZif2', { size: 561 }).file('/usr/share/zoneinfo/America/New_York', 'TZif2', { size: 3_552 }).file('/usr/share/zoneinfo/Europe/Berlin', 'TZif2', { size: 2_298 });
  fs.file('/usr/lib/locale/C.utf8/LC_CTYPE', '', { size: 346_132 }).file('/usr/share/locale/locale.alias', '# Locale name alias data base.\n', { size: 2_996 });
  fs.file('/usr/share/common-licenses/GPL-3', '                    GNU GENERAL PUBLIC LICENSE\n', { size: 35_149 });
  for (const p of distro.packages) {
    fs.file(`/usr/share/doc/${p.name}/copyright`, `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: ${p.name}\n`, { size: 1_800 });
  }
  if (!slim) {
    const perPackage = Math.floor(distro.docsSize / distro.packages.length / 3);
    for (const p of distro.packages) {
      fs.file(`/usr/share/doc/${p.name}/changelog.Debian.gz`, '', { size: perPackage });
      fs.file(`/usr/share/man/man1/${p.name}.1.gz`, '', { size: perPackage });
      fs.file(`/usr/share/locale/de/LC_MESSAGES/${p.name}.mo`, '', { size: perPackage });
    }
  }
  return fs;
}
