/**
 * The lab's offline mirror of Debian's and Ubuntu's archives (deb.debian.org for bookworm, archive.ubuntu.com
 * and security.ubuntu.com for noble): what `apt-get update` fetches (each suite's InRelease and each
 * component's Packages index, with their real sizes) and the .deb files `apt-get install` downloads. The
 * index holds a small set of packages whose executables really run in the lab (curl; procps's ps, top,
 * free, pgrep, pidof, uptime; psmisc's pstree) and the libraries and data they depend on and recommend,
 * with their real versions, sizes, dependencies and descriptions (bookworm's as `apt-cache show` gives
 * them; noble's renamed and re-versioned as Ubuntu ships them). A package outside it is unknown to apt.
 *
 * Each package unpacks its runnable binaries (ELF stubs naming a lab program), its shared libraries (sized
 * to its Installed-Size) and /usr/share/doc/<name>/copyright and changelog.Debian.gz.
 *
 * Left out: the rest of the archive, Suggests, Conflicts/Breaks/Provides, version constraints (the index
 * has one version of each package), the binaries of a package that do not run here (openssl,
 * update-ca-certificates, procps's vmstat/w/watch…, psmisc's killall/fuser), and maintainer scripts.
 */
import { BOOKWORM_PACKAGES } from './debian.ts';
import type { ApkFile } from './apk.ts';
import type { DpkgPackage } from './dpkg.ts';

/** A package of the archive. */
export interface AptPackage extends DpkgPackage {
  /** The .deb's size, bytes. */
  size: number;
  /** `all`, or the machine's architecture. */
  architecture: 'all' | 'any';
  /** Multi-Arch: `same` packages are named `name:arch` by dpkg. */
  multiArch: 'same' | 'foreign' | '';
  /** Depends, as the control file words it. */
  depends: string;
  /** Recommends, as the control file words it. */
  recommends: string;
  /** The pool directory (`pool/main/c/curl`). */
  pool: string;
  /** The suite and component that have it (`bookworm/main`). */
  component: string;
}

/** One `Types: deb` source a distribution's images name, as the mirror serves it. */
export interface AptSuite {
  /** The URI (`http://deb.debian.org/debian`). */
  uri: string;
  /** The suite (`bookworm-updates`). */
  suite: string;
  /** InRelease's size, bytes. */
  inRelease: number;
  /** Each component's Packages index size, bytes (components without an entry are empty). */
  packages: Readonly<Record<string, number>>;
}

/** A distribution's archive: its suites and packages. */
export interface AptArchive {
  suites: readonly AptSuite[];
  packages: readonly AptPackage[];
}

/** The bookworm packages the mirror adds to the image's base set: `name^version^section^priority^installed-KiB^size^arch^multi-arch^depends^recommends^description`. */
const BOOKWORM_EXTRA = `
ca-certificates^20230311+deb12u1^misc^standard^387^155260^all^foreign^openssl (>= 1.1.1), debconf (>= 0.5) | debconf-2.0^^Common CA certificates
curl^7.88.1-10+deb12u15^web^optional^489^315764^amd64^foreign^libc6 (>= 2.34), libcurl4 (= 7.88.1-10+deb12u15), zlib1g (>= 1:1.1.4)^^command line tool for transferring data with URL syntax
krb5-locales^1.20.1-2+deb12u5^localization^standard^273^63520^all^foreign^^^internationalization support for MIT Kerberos
libbrotli1^1.0.9-2+b6^libs^optional^783^275248^amd64^same^libc6 (>= 2.29)^^library implementing brotli encoder and decoder (shared libraries)
libcurl4^7.88.1-10+deb12u15^libs^optional^840^392184^amd64^same^libbrotli1 (>= 0.6.0), libc6 (>= 2.34), libgssapi-krb5-2 (>= 1.17), libidn2-0 (>= 0.6), libldap-2.5-0 (>= 2.5.4), libnghttp2-14 (>= 1.50.0), libpsl5 (>= 0.16.0), librtmp1 (>= 2.3), libssh2-1 (>= 1.7.0), libssl3 (>= 3.0.0), libzstd1 (>= 1.5.2), zlib1g (>= 1:1.1.4)^ca-certificates^easy-to-use client-side URL transfer library (OpenSSL flavour)
libgpm2^1.20.7-10+b1^libs^optional^45^14216^amd64^same^libc6 (>= 2.33)^^General Purpose Mouse - shared library
libgssapi-krb5-2^1.20.1-2+deb12u5^libs^optional^425^135168^amd64^same^libc6 (>= 2.33), libcom-err2 (>= 1.43.9), libk5crypto3 (>= 1.20), libkrb5-3 (= 1.20.1-2+deb12u5), libkrb5support0 (>= 1.15~beta1)^^MIT Kerberos runtime libraries - krb5 GSS-API Mechanism
libk5crypto3^1.20.1-2+deb12u5^libs^optional^261^79712^amd64^same^libc6 (>= 2.33), libkrb5support0 (>= 1.20)^^MIT Kerberos runtime libraries - Crypto Library
libkeyutils1^1.6.3-2^libs^optional^40^8808^amd64^same^libc6 (>= 2.14)^^Linux Key Management Utilities (library)
libkrb5-3^1.20.1-2+deb12u5^libs^optional^1077^332280^amd64^same^libc6 (>= 2.34), libcom-err2 (>= 1.43.9), libk5crypto3 (>= 1.20), libkeyutils1 (>= 1.5.9), libkrb5support0 (= 1.20.1-2+deb12u5), libssl3 (>= 3.0.0)^krb5-locales^MIT Kerberos runtime libraries
libkrb5support0^1.20.1-2+deb12u5^libs^optional^134^33212^amd64^same^libc6 (>= 2.34)^^MIT Kerberos runtime libraries - Support library
libldap-2.5-0^2.5.13+dfsg-5^libs^optional^553^183248^amd64^same^libc6 (>= 2.34), libgnutls30 (>= 3.7.5), libsasl2-2 (>= 2.1.28+dfsg)^libldap-common^OpenLDAP libraries
libldap-common^2.5.13+dfsg-5^libs^optional^92^29348^all^foreign^^^OpenLDAP common files for libraries
libncursesw6^6.4-4^libs^optional^412^133824^amd64^same^libtinfo6 (= 6.4-4), libc6 (>= 2.34)^libgpm2^shared libraries for terminal handling (wide character support)
libnghttp2-14^1.52.0-1+deb12u3^libs^optional^220^72404^amd64^same^libc6 (>= 2.17)^^library implementing HTTP/2 protocol (shared library)
libproc2-0^2:4.0.2-3^libs^optional^232^62804^amd64^same^libc6 (>= 2.34), libsystemd0 (>= 209)^^library for accessing process information from /proc
libpsl5^0.21.2-1^libs^optional^96^58684^amd64^same^libidn2-0 (>= 0.16), libc6 (>= 2.33), libunistring2 (>= 0.9.7)^publicsuffix (>= 20150507)^Library for Public Suffix List (shared libraries)
librtmp1^2.4+20151223.gitfa8646d.1-2+b2^libs^optional^146^60824^amd64^same^libc6 (>= 2.14), libgmp10, libgnutls30 (>= 3.6.14), libhogweed6, libnettle8, zlib1g (>= 1:1.1.4)^^toolkit for RTMP streams (shared library)
libsasl2-2^2.1.28+dfsg-10^libs^optional^167^59712^amd64^same^libsasl2-modules-db (>= 2.1.28+dfsg-10), libc6 (>= 2.34)^libsasl2-modules (>= 2.1.28+dfsg-10)^Cyrus SASL - authentication abstraction library
libsasl2-modules-db^2.1.28+dfsg-10^libs^optional^77^20336^amd64^same^libc6 (>= 2.14), libdb5.3^^Cyrus SASL - pluggable authentication modules (DB)
libsasl2-modules^2.1.28+dfsg-10^libs^optional^284^66596^amd64^same^libc6 (>= 2.14), libssl3 (>= 3.0.0)^^Cyrus SASL - pluggable authentication modules
libssh2-1^1.10.0-3+b1^libs^optional^357^178704^amd64^same^libc6 (>= 2.14), libssl3 (>= 3.0.0), zlib1g (>= 1:1.1.4)^^SSH2 client-side library
libssl3^3.0.20-1~deb12u2^libs^optional^6030^2036016^amd64^same^libc6 (>= 2.34)^^Secure Sockets Layer toolkit - shared libraries
openssl^3.0.20-1~deb12u2^utils^optional^2310^1438712^amd64^foreign^libc6 (>= 2.34), libssl3 (>= 3.0.9)^^Secure Sockets Layer toolkit - cryptographic utility
procps^2:4.0.2-3^admin^important^2091^708712^amd64^foreign^libc6 (>= 2.34), libncursesw6 (>= 6), libproc2-0 (>= 2:4.0.2), libtinfo6 (>= 6), init-system-helpers (>= 1.29~)^psmisc^/proc file system utilities
psmisc^23.6-1^admin^optional^909^258696^amd64^foreign^libc6 (>= 2.34), libtinfo6 (>= 6)^^utilities that use the proc file system
publicsuffix^20230209.2326-1^net^optional^339^126380^all^foreign^^^accurate, machine-readable list of domain name suffixes
`;

function parseExtra(table: string, component: string): AptPackage[] {
  return table.trim().split('\n').map((line) => {
    const [name, version, section, priority, installed, size, arch, multiArch, depends, recommends, description] = line.split('^') as [string, string, string, string, string, string, string, string, string, string, string];
    const source = name.startsWith('lib') ? name.slice(0, 4) : name[0]!;
    return {
      name, version, section, priority, installedSize: Number(installed), essential: false, description, size: Number(size),
      architecture: arch === 'all' ? 'all' : 'any', multiArch: multiArch === 'same' || multiArch === 'foreign' ? multiArch : '',
      depends, recommends, pool: `pool/${component.split('/')[1]}/${source}/${name}`, component,
    };
  });
}

/** Debian bookworm as deb.debian.org serves it. */
export const BOOKWORM_ARCHIVE: AptArchive = {
  suites: [
    { uri: 'http://deb.debian.org/debian', suite: 'bookworm', inRelease: 151_000, packages: { main: 8_792_000 } },
    { uri: 'http://deb.debian.org/debian', suite: 'bookworm-updates', inRelease: 55_400, packages: { main: 13_500 } },
    { uri: 'http://deb.debian.org/debian-security', suite: 'bookworm-security', inRelease: 48_000, packages: { main: 241_000 } },
  ],
  packages: parseExtra(BOOKWORM_EXTRA, 'bookworm/main'),
};

/** Noble's names and versions of the bookworm packages above (t64 libraries, OpenLDAP 2.6, libssh). */
const NOBLE_RENAMES: Record<string, [string, string, string?]> = {
  'ca-certificates': ['ca-certificates', '20240203', 'noble/main'],
  curl: ['curl', '8.5.0-2ubuntu10.6', 'noble-updates/main'],
  'krb5-locales': ['krb5-locales', '1.20.1-6ubuntu2.2', 'noble-updates/main'],
  libbrotli1: ['libbrotli1', '1.1.0-2build2'],
  libcurl4: ['libcurl4t64', '8.5.0-2ubuntu10.6', 'noble-updates/main'],
  'libgssapi-krb5-2': ['libgssapi-krb5-2', '1.20.1-6ubuntu2.2', 'noble-updates/main'],
  libk5crypto3: ['libk5crypto3', '1.20.1-6ubuntu2.2', 'noble-updates/main'],
  libkeyutils1: ['libkeyutils1', '1.6.3-3build1'],
  'libkrb5-3': ['libkrb5-3', '1.20.1-6ubuntu2.2', 'noble-updates/main'],
  libkrb5support0: ['libkrb5support0', '1.20.1-6ubuntu2.2', 'noble-updates/main'],
  'libldap-2.5-0': ['libldap2', '2.6.7+dfsg-1~exp1ubuntu8.1', 'noble-updates/main'],
  'libldap-common': ['libldap-common', '2.6.7+dfsg-1~exp1ubuntu8.1', 'noble-updates/main'],
  'libnghttp2-14': ['libnghttp2-14', '1.59.0-1ubuntu0.1', 'noble-updates/main'],
  libpsl5: ['libpsl5t64', '0.21.2-1.1build1'],
  librtmp1: ['librtmp1', '2.4+20151223.gitfa8646d.1-2build7'],
  'libsasl2-2': ['libsasl2-2', '2.1.28+dfsg1-5ubuntu3.1', 'noble-updates/main'],
  'libsasl2-modules': ['libsasl2-modules', '2.1.28+dfsg1-5ubuntu3.1', 'noble-updates/main'],
  'libsasl2-modules-db': ['libsasl2-modules-db', '2.1.28+dfsg1-5ubuntu3.1', 'noble-updates/main'],
  'libssh2-1': ['libssh-4', '0.10.6-2build2'],
  libssl3: ['libssl3t64', '3.0.13-0ubuntu3.4', 'noble-updates/main'],
  openssl: ['openssl', '3.0.13-0ubuntu3.4', 'noble-updates/main'],
  publicsuffix: ['publicsuffix', '20231001.0357-0.1'],
  psmisc: ['psmisc', '23.7-1build1'],
};

function renameDeps(deps: string, names: Record<string, string>): string {
  return deps.replace(/[a-z0-9][a-z0-9.+-]+/g, (n) => names[n] ?? n);
}

/** Ubuntu 24.04 as archive.ubuntu.com and security.ubuntu.com serve it (its base already has procps). */
export const NOBLE_ARCHIVE: AptArchive = ((): AptArchive => {
  const names: Record<string, string> = Object.fromEntries(Object.entries(NOBLE_RENAMES).map(([from, [to]]) => [from, to]));
  for (const p of BOOKWORM_PACKAGES) if (p.name === 'libunistring2') names[p.name] = 'libunistring5';
  const packages = BOOKWORM_ARCHIVE.packages.flatMap((p): AptPackage[] => {
    const renamed = NOBLE_RENAMES[p.name];
    if (!renamed) return [];
    const [name, version, component = 'noble/main'] = renamed;
    const source = name.startsWith('lib') ? name.slice(0, 4) : name[0]!;
    return [{ ...p, name, version, component, depends: renameDeps(p.depends.replace(/\(=[^)]*\)/g, `(= ${version})`), names), recommends: renameDeps(p.recommends, names), pool: `pool/main/${source}/${name}` }];
  });
  return {
    suites: [
      { uri: 'http://archive.ubuntu.com/ubuntu', suite: 'noble', inRelease: 256_000, packages: { main: 1_401_000, universe: 15_000_000, restricted: 117_000, multiverse: 266_000 } },
      { uri: 'http://archive.ubuntu.com/ubuntu', suite: 'noble-updates', inRelease: 126_000, packages: { main: 1_112_000, universe: 1_185_000, restricted: 1_131_000, multiverse: 20_700 } },
      { uri: 'http://archive.ubuntu.com/ubuntu', suite: 'noble-backports', inRelease: 126_000, packages: { main: 39_700, universe: 27_800 } },
      { uri: 'http://security.ubuntu.com/ubuntu', suite: 'noble-security', inRelease: 126_000, packages: { main: 836_000, universe: 898_000, restricted: 1_090_000, multiverse: 16_800 } },
    ],
    packages,
  };
})();

/** The lab programs the packages' runnable binaries stand for (a path's base name when not given). */
const BINARIES: Readonly<Record<string, readonly string[]>> = {
  curl: ['/usr/bin/curl'],
  procps: ['/usr/bin/ps', '/usr/bin/top', '/usr/bin/free', '/usr/bin/pgrep', '/usr/bin/pidof', '/usr/bin/uptime'],
  psmisc: ['/usr/bin/pstree'],
};

/** Data files and symlinks beyond the shared libraries, by package. */
const DATA: Readonly<Record<string, readonly ApkFile[]>> = {
  'ca-certificates': [
    { file: '/etc/ca-certificates.conf', data: '# This file lists certificates that you wish to use or to ignore to be\n# installed in /etc/ssl/certs.\n' },
    { lib: '/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt', size: 1_939 }, { lib: '/usr/share/ca-certificates/mozilla/DigiCert_Global_Root_G2.crt', size: 1_290 },
    { lib: '/etc/ssl/certs/ca-certificates.crt', size: 219_342 },
  ],
  openssl: [{ file: '/usr/lib/ssl/openssl.cnf', data: '#\n# OpenSSL example configuration file.\n#\n' }, { link: '/etc/ssl/openssl.cnf', target: '/usr/lib/ssl/openssl.cnf' }],
  publicsuffix: [{ lib: '/usr/share/publicsuffix/public_suffix_list.dat', size: 235_447 }],
  'krb5-locales': [{ lib: '/usr/share/locale/de/LC_MESSAGES/mit-krb5.mo', size: 167_032 }],
  'libldap-common': [{ file: '/etc/ldap/ldap.conf', data: '#\n# LDAP Defaults\n#\n\n# See ldap.conf(5) for details\n' }],
};

/** The files a package unpacks for `triplet`: its binaries, its payload sized to Installed-Size, its docs. */
export function aptFiles(pkg: AptPackage, triplet: string): ApkFile[] {
  const docs: ApkFile[] = [
    { lib: `/usr/share/doc/${pkg.name}/copyright`, size: 1_800 },
    { lib: `/usr/share/doc/${pkg.name}/changelog.Debian.gz`, size: 2_400 },
  ];
  const bins = (BINARIES[pkg.name] ?? []).map((bin): ApkFile => ({ bin, size: 0 }));
  const data = DATA[pkg.name] ?? [];
  const fixed = [...docs, ...data].reduce((sum, f) => sum + ('lib' in f ? f.size : 'file' in f ? f.data.length : 0), 0);
  const payload: ApkFile[] = bins.length > 0 || pkg.section !== 'libs' ? bins : [{ lib: `/usr/lib/${triplet}/${soname(pkg.name)}`, size: 0 }];
  const each = Math.max(4_096, Math.floor((pkg.installedSize * 1024 - fixed) / Math.max(1, payload.length)));
  return [...payload.map((f): ApkFile => ('bin' in f ? { ...f, size: each } : 'lib' in f ? { ...f, size: each } : f)), ...data, ...docs];
}

/** A library package's shared object: `libssl3` → `libssl.so.3`, `libnghttp2-14` → `libnghttp2.so.14`. */
function soname(name: string): string {
  const m = /^(lib.+?)-?(\d+)(?:t64)?$/.exec(name);
  return m ? `${m[1]}.so.${m[2]}` : `${name}.so`;
}
