/**
 * debian (docker.io/library/debian) — Debian 12 "bookworm" as debuerreotype builds it (one layer,
 * `CMD ["bash"]`), and its `-slim` variant, the base of nginx, httpd, redis, python and node: the slim
 * layer is shared by all of them, as on Docker Hub.
 */
import { ImageIndex, type Image } from '../../image/image.ts';
import { dpkgRootfs, dpkgTable, type DpkgDistro } from './dpkg.ts';
import { ImageRecipe, once, perArch } from './imageRecipe.ts';
import type { Arch } from './rootfs.ts';
import type { RegistryRepository } from '../registry.ts';

/** The packages of debian:bookworm (dpkg-query -W), with their Installed-Size. */
export const BOOKWORM_PACKAGES = dpkgTable(`
adduser|3.134|admin|important|849|no|add and remove users and groups
apt|2.6.1|admin|important|4216|no|commandline package manager
base-files|12.4+deb12u8|admin|required|392|yes|Debian base system miscellaneous files
base-passwd|3.6.1|admin|required|242|yes|Debian base system master password and group files
bash|5.2.15-2+b7|shells|required|7164|yes|GNU Bourne Again SHell
bsdutils|1:2.38.1-5+deb12u2|utils|required|336|yes|basic utilities from 4.4BSD-Lite
coreutils|9.1-1|utils|required|18062|yes|GNU core utilities
dash|0.5.12-2|shells|required|216|yes|POSIX-compliant shell
debconf|1.5.82|admin|required|544|no|Debian configuration management system
debian-archive-keyring|2023.3+deb12u1|misc|important|251|no|GnuPG archive keys of the Debian archive
debianutils|5.7-0.5~deb12u1|utils|required|243|yes|Miscellaneous utilities specific to Debian
diffutils|1:3.8-4|utils|required|1597|yes|File comparison utilities
dpkg|1.21.22|admin|required|6472|yes|Debian package management system
e2fsprogs|1.47.0-2|admin|required|1567|no|ext2/ext3/ext4 file system utilities
findutils|4.9.0-4|utils|required|1685|yes|utilities for finding files--find, xargs
gcc-12-base|12.2.0-14|libs|required|97|no|GCC, the GNU Compiler Collection (base package)
gpgv|2.2.40-1.1|utils|important|649|no|GNU privacy guard - signature verification tool
grep|3.8-5|utils|required|1644|yes|GNU grep, egrep and fgrep
gzip|1.12-1|utils|required|245|yes|GNU compression utilities
hostname|3.23+nmu1|admin|required|46|yes|utility to set/show the host name or domain name
init-system-helpers|1.65.2|admin|required|130|yes|helper tools for all init systems
libacl1|2.3.1-3|libs|required|52|no|access control list - shared library
libapt-pkg6.0|2.6.1|libs|important|3390|no|package management runtime library
libattr1|1:2.5.1-4|libs|required|52|no|extended attribute handling - shared library
libaudit-common|1:3.0.9-1|libs|required|22|no|Dynamic library for security auditing - common files
libaudit1|1:3.0.9-1|libs|required|161|no|Dynamic library for security auditing
libblkid1|2.38.1-5+deb12u2|libs|required|418|no|block device ID library
libbz2-1.0|1.0.8-5+b1|libs|important|105|no|high-quality block-sorting file compressor library - runtime
libc-bin|2.36-9+deb12u9|libs|required|2605|yes|GNU C Library: Binaries
libc6|2.36-9+deb12u9|libs|required|12986|no|GNU C Library: Shared libraries
libcap-ng0|0.8.3-1+b3|libs|optional|48|no|alternate POSIX capabilities library
libcap2|1:2.66-4|libs|important|86|no|POSIX 1003.1e capabilities (library)
libcom-err2|1.47.0-2|libs|required|55|no|common error description library
libcrypt1|1:4.4.33-2|libs|required|233|no|libcrypt shared library
libdb5.3|5.3.28+dfsg2-1|libs|required|2019|no|Berkeley v5.3 Database Libraries [runtime]
libdebconfclient0|0.270|libs|required|34|no|Debian Configuration Management System (C-implementation library)
libext2fs2|1.47.0-2|libs|required|580|no|ext2/ext3/ext4 file system libraries
libffi8|3.4.4-1|libs|required|68|no|Foreign Function Interface library runtime
libgcc-s1|12.2.0-14|libs|required|140|no|GCC support library
libgcrypt20|1.10.1-3|libs|required|1561|no|LGPL Crypto library - runtime library
libgmp10|2:6.2.1+dfsg1-1.1|libs|required|855|no|Multiprecision arithmetic library
libgnutls30|3.7.9-2+deb12u3|libs|important|2618|no|GNU TLS library - main runtime library
libgpg-error0|1.46-1|libs|required|990|no|GnuPG development runtime library
libhogweed6|3.8.1-2|libs|required|470|no|low level cryptographic library (public-key cryptos)
libidn2-0|2.3.3-1+b1|libs|required|418|no|Internationalized domain names (IDNA2008/TR46) library
liblz4-1|1.9.4-1|libs|required|163|no|Fast LZ compression algorithm library - runtime
liblzma5|5.4.1-0.2|libs|required|333|no|XZ-format compression library
libmd0|1.0.4-2|libs|required|84|no|message digest functions from BSD systems - shared library
libmount1|2.38.1-5+deb12u2|libs|required|483|no|device mounting library
libnettle8|3.8.1-2|libs|required|516|no|low level cryptographic library (symmetric and one-way cryptos)
libp11-kit0|0.24.1-2|libs|important|1461|no|library for loading and coordinating access to PKCS#11 modules - runtime
libpam-modules|1.5.2-6+deb12u1|admin|required|1092|no|Pluggable Authentication Modules for PAM
libpam-modules-bin|1.5.2-6+deb12u1|admin|required|230|no|Pluggable Authentication Modules for PAM - helper binaries
libpam-runtime|1.5.2-6+deb12u1|admin|required|1017|no|Runtime support for the PAM library
libpam0g|1.5.2-6+deb12u1|libs|required|228|no|Pluggable Authentication Modules library
libpcre2-8-0|10.42-1|libs|required|685|no|New Perl Compatible Regular Expression Library- 8 bit runtime files
libseccomp2|2.5.4-1+deb12u1|libs|optional|143|no|high level interface to Linux seccomp filter
libselinux1|3.4-1+b6|libs|required|226|no|SELinux runtime shared libraries
libsemanage-common|3.4-1|libs|required|39|no|Common files for SELinux policy management libraries
libsemanage2|3.4-1+b5|libs|required|311|no|SELinux policy management library
libsepol2|3.4-2.1|libs|required|784|no|SELinux library for manipulating binary security policies
libsmartcols1|2.38.1-5+deb12u2|libs|required|306|no|smart column output alignment library
libss2|1.47.0-2|libs|required|81|no|command-line interface parsing library
libstdc++6|12.2.0-14|libs|important|2637|no|GNU Standard C++ Library v3
libsystemd0|252.31-1~deb12u1|libs|optional|1027|no|systemd utility library
libtasn1-6|4.19.0-2|libs|important|140|no|Manage ASN.1 structures (runtime)
libtinfo6|6.4-4|libs|required|521|no|shared low-level terminfo library for terminal handling
libudev1|252.31-1~deb12u1|libs|important|267|no|libudev shared library
libunistring2|1.0-2|libs|required|1854|no|Unicode string library for C
libuuid1|2.38.1-5+deb12u2|libs|required|68|no|Universally Unique ID library
libxxhash0|0.8.1-1|libs|required|147|no|shared library for xxhash
libzstd1|1.5.4+dfsg2-5|libs|required|877|no|fast lossless compression algorithm
login|1:4.13+dfsg1-1+b1|admin|required|2700|yes|system login tools
logsave|1.47.0-2|admin|required|51|no|save the output of a command in a log file
mawk|1.3.4.20200120-3.1|interpreters|required|263|no|Pattern scanning and text processing language
mount|2.38.1-5+deb12u2|admin|required|376|no|tools for mounting and manipulating filesystems
ncurses-base|6.4-4|misc|required|397|yes|basic terminal type definitions
ncurses-bin|6.4-4|utils|required|652|yes|terminal-related programs and man pages
passwd|1:4.13+dfsg1-1+b1|admin|required|3919|no|change and administer password and group data
perl-base|5.36.0-7+deb12u1|perl|required|7699|yes|minimal Perl system
sed|4.9-1|utils|required|883|yes|GNU stream editor for filtering/transforming text
sysvinit-utils|3.06-4|admin|required|84|yes|System-V-like utilities
tar|1.34+dfsg-1.2+deb12u1|utils|required|3152|yes|GNU version of the tar archiving utility
tzdata|2024a-0+deb12u1|localization|required|3440|no|time zone and daylight-saving time data
usr-is-merged|37~deb12u1|oldlibs|required|14|yes|Transitional package to assert a merged-/usr system
util-linux|2.38.1-5+deb12u2|utils|required|3567|yes|miscellaneous system utilities
util-linux-extra|2.38.1-5+deb12u2|utils|optional|419|no|interactive login tools
zlib1g|1:1.2.13.dfsg-1|libs|required|168|no|compression library - runtime
`);

/** Debian 12.8 (bookworm-20241202). */
export const BOOKWORM: DpkgDistro = {
  osRelease: `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`,
  debianVersion: '12.8',
  issue: 'Debian GNU/Linux 12',
  packages: BOOKWORM_PACKAGES,
  maintainer: 'Debian Developers <debian-devel@lists.debian.org>',
  sources: ['debian.sources', 'Types: deb\n# http://snapshot.debian.org/archive/debian/20241202T000000Z\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\nTypes: deb\n# http://snapshot.debian.org/archive/debian-security/20241202T000000Z\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'],
  mtime: 1733097600,
  docsSize: 42_000_000,
  zoneinfoSize: 3_300_000,
  varSize: 22_400_000,
};

const CREATED = '2024-12-02T00:00:00Z';

function debianImage(arch: Arch, slim: boolean): Image {
  return new ImageRecipe(arch, CREATED)
    .layer(`# debian.sh --arch '${arch}' out/ 'bookworm' '@1733097600'`, dpkgRootfs(BOOKWORM, arch, slim).layer(), 'debuerreotype 0.15')
    .cmd('bash')
    .build();
}

/** debian:bookworm for one architecture. */
export const debian = perArch((arch) => debianImage(arch, false));
/** debian:bookworm-slim for one architecture: the shared base of the Debian-based images. */
export const debianSlim = perArch((arch) => debianImage(arch, true));

const full = once(() => new ImageIndex([debian('amd64'), debian('arm64')]));
const slim = once(() => new ImageIndex([debianSlim('amd64'), debianSlim('arm64')]));

/** docker.io/library/debian. */
export const debianRepository: RegistryRepository = {
  path: 'library/debian',
  tags: { latest: full, bookworm: full, '12': full, '12.8': full, 'bookworm-20241202': full, 'bookworm-slim': slim, '12-slim': slim, '12.8-slim': slim },
};
