/**
 * The lab's offline mirror of Alpine's package repositories (dl-cdn.alpinelinux.org/alpine/v3.20/main and
 * community): what `apk update` fetches as APKINDEX.tar.gz and `apk add` downloads as .apk files. The index
 * holds the alpine image's base packages and a small set whose executables really run in the lab (curl and
 * its libraries, bash) or that are data only (ca-certificates, tzdata). A package outside it is
 * unknown to the mirror, as it would be to apk.
 *
 * Left out: every other package of the real index (24 000 of them), `so:`/`cmd:` provider resolution (the
 * dependencies here are package names), signatures, and community packages other than those above.
 */
import { ALPINE_3_20 } from './alpine.ts';
import type { ApkPackage } from './apk.ts';
import type { Arch } from './rootfs.ts';

/** One repository the mirror serves, as /etc/apk/repositories names it. */
export interface ApkRepository {
  /** `https://dl-cdn.alpinelinux.org/alpine/v3.20/main`. */
  url: string;
  /** The index's description (`apk update` prints it): the aports commit it was built from. */
  describe: string;
  /** APKINDEX.tar.gz's size, bytes. */
  indexSize: number;
}

/** A package of the index: an apk package and the repository that has it. */
export interface ApkIndexPackage extends ApkPackage {
  /** The repository's url. */
  repository: string;
}

const MAIN = 'https://dl-cdn.alpinelinux.org/alpine/v3.20/main';
const COMMUNITY = 'https://dl-cdn.alpinelinux.org/alpine/v3.20/community';

/** The repositories of Alpine 3.20 the mirror answers for. */
export const APK_REPOSITORIES: readonly ApkRepository[] = [
  { url: MAIN, describe: 'v3.20.3-259-g7f1c0b6bd11', indexSize: 1_398_472 },
  { url: COMMUNITY, describe: 'v3.20.3-258-g3e4d8a5a2a4', indexSize: 896_312 },
];

/** Build time of the mirror's packages (December 2024), seconds. */
export const APK_MIRROR_BUILD_TIME = 1733961600;

const so = (path: string, real: string, size: number) => [{ link: path, target: real }, { lib: `${path.slice(0, path.lastIndexOf('/') + 1)}${real}`, size }] as const;

/** The mirror's packages for `arch`: the image's base set and the extra ones, sorted by name. */
export function apkIndex(arch: Arch): ApkIndexPackage[] {
  const base: ApkIndexPackage[] = ALPINE_3_20.packages(arch).map((p) => ({ ...p, repository: MAIN }));
  const extra: ApkIndexPackage[] = [
    { name: 'bash', version: '5.2.26-r0', description: 'The GNU Bourne Again shell', url: 'https://www.gnu.org/software/bash/bash.html', license: 'GPL-3.0-or-later', depends: '/bin/sh readline ncurses-terminfo-base', provides: 'cmd:bash=5.2.26-r0', repository: MAIN, files: [
      { bin: '/bin/bash', size: 797_840 }, { file: '/etc/bash/bashrc', data: '# /etc/bash/bashrc\n#\n# Global bash config file, sourced by interactive non-login shells only.\n\nfor _f in /etc/bash/*.sh; do\n\t[ -r "$_f" ] && . "$_f"\ndone\nunset _f\n' },
    ] },
    { name: 'brotli-libs', version: '1.1.0-r2', description: 'Generic lossless compressor (libraries)', url: 'https://github.com/google/brotli', license: 'MIT', origin: 'brotli', provides: 'so:libbrotlicommon.so.1=1.1.0 so:libbrotlidec.so.1=1.1.0 so:libbrotlienc.so.1=1.1.0', repository: MAIN, files: [
      ...so('/usr/lib/libbrotlicommon.so.1', 'libbrotlicommon.so.1.1.0', 137_384), ...so('/usr/lib/libbrotlidec.so.1', 'libbrotlidec.so.1.1.0', 51_912), ...so('/usr/lib/libbrotlienc.so.1', 'libbrotlienc.so.1.1.0', 612_008),
    ] },
    { name: 'c-ares', version: '1.33.1-r0', description: 'An asynchronously DNS/names resolver library', url: 'https://c-ares.org/', license: 'MIT', provides: 'so:libcares.so.2=2.19.0', repository: MAIN, files: [...so('/usr/lib/libcares.so.2', 'libcares.so.2.19.0', 178_008)] },
    { name: 'ca-certificates', version: '20240705-r0', description: 'Common CA certificates PEM files from Mozilla', url: 'https://www.mozilla.org/en-US/about/governance/policies/security-group/certs/', license: 'MPL-2.0 AND MIT', repository: MAIN, files: [
      { file: '/etc/ca-certificates.conf', data: '# This file lists certificates that you wish to use or to ignore to be\n# installed in /etc/ssl/certs.\n' },
      { lib: '/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt', size: 1_939 }, { lib: '/usr/share/ca-certificates/mozilla/DigiCert_Global_Root_G2.crt', size: 1_290 },
      { lib: '/usr/share/ca-certificates/mozilla/GlobalSign_Root_CA.crt', size: 1_261 }, { lib: '/usr/share/ca-certificates/mozilla/Amazon_Root_CA_1.crt', size: 1_188 },
    ] },
    { name: 'curl', version: '8.11.1-r0', description: 'URL retrival utility and library', url: 'https://curl.se/', license: 'curl', depends: 'ca-certificates libcurl zlib', provides: 'cmd:curl=8.11.1-r0', repository: MAIN, files: [{ bin: '/usr/bin/curl', size: 259_616 }] },
    { name: 'libcurl', version: '8.11.1-r0', description: 'The multiprotocol file transfer library', url: 'https://curl.se/', license: 'curl', origin: 'curl', depends: 'brotli-libs c-ares libidn2 nghttp2-libs libpsl zstd-libs zlib', provides: 'so:libcurl.so.4=4.8.0', repository: MAIN, files: [...so('/usr/lib/libcurl.so.4', 'libcurl.so.4.8.0', 690_152)] },
    { name: 'libidn2', version: '2.3.7-r0', description: 'Encode/Decode library for internationalized domain names', url: 'https://www.gnu.org/software/libidn#libidn2', license: 'GPL-2.0-or-later OR LGPL-3.0-or-later', depends: 'libunistring', provides: 'so:libidn2.so.0=0.4.0', repository: MAIN, files: [...so('/usr/lib/libidn2.so.0', 'libidn2.so.0.4.0', 137_624)] },
    { name: 'libncursesw', version: '6.4_p20240420-r2', description: 'Console display library (libncursesw)', url: 'https://invisible-island.net/ncurses/', license: 'X11', origin: 'ncurses', depends: 'ncurses-terminfo-base', provides: 'so:libncursesw.so.6=6.4', repository: MAIN, files: [...so('/usr/lib/libncursesw.so.6', 'libncursesw.so.6.4', 358_432)] },
    { name: 'libpsl', version: '0.21.5-r1', description: 'C library for the Publix Suffix List', url: 'https://rockdaboot.github.io/libpsl', license: 'MIT', depends: 'libidn2 libunistring', provides: 'so:libpsl.so.5=5.3.5', repository: MAIN, files: [...so('/usr/lib/libpsl.so.5', 'libpsl.so.5.3.5', 71_808)] },
    { name: 'libunistring', version: '1.2-r0', description: 'Library for manipulating Unicode strings and C strings', url: 'https://www.gnu.org/software/libunistring/', license: 'GPL-2.0-or-later OR LGPL-3.0-or-later', provides: 'so:libunistring.so.5=5.1.0', repository: MAIN, files: [...so('/usr/lib/libunistring.so.5', 'libunistring.so.5.1.0', 1_797_408)] },
    { name: 'ncurses-terminfo-base', version: '6.4_p20240420-r2', description: 'Descriptions of common terminals', url: 'https://invisible-island.net/ncurses/', license: 'X11', origin: 'ncurses', repository: MAIN, files: [
      { lib: '/etc/terminfo/a/ansi', size: 1_481 }, { lib: '/etc/terminfo/l/linux', size: 1_788 }, { lib: '/etc/terminfo/v/vt100', size: 1_190 },
      { lib: '/etc/terminfo/x/xterm', size: 3_849 }, { lib: '/etc/terminfo/x/xterm-256color', size: 3_713 },
    ] },
    { name: 'nghttp2-libs', version: '1.62.1-r0', description: 'Experimental HTTP/2 client, server and proxy (libraries)', url: 'https://nghttp2.org', license: 'MIT', origin: 'nghttp2', provides: 'so:libnghttp2.so.14=14.28.2', repository: MAIN, files: [...so('/usr/lib/libnghttp2.so.14', 'libnghttp2.so.14.28.2', 165_888)] },
    { name: 'readline', version: '8.2.10-r0', description: 'GNU readline library', url: 'https://tiswww.cwru.edu/php/chet/readline/rltop.html', license: 'GPL-3.0-or-later', depends: 'libncursesw', provides: 'so:libreadline.so.8=8.2', repository: MAIN, files: [
      { file: '/etc/inputrc', data: '# do not bell on tab-completion\nset bell-style none\n' }, ...so('/usr/lib/libreadline.so.8', 'libreadline.so.8.2', 268_136),
    ] },
    { name: 'tzdata', version: '2024b-r0', description: 'Timezone data', url: 'https://www.iana.org/time-zones', license: 'Public-Domain', repository: MAIN, files: [
      { lib: '/usr/share/zoneinfo/Asia/Shanghai', size: 561 }, { lib: '/usr/share/zoneinfo/America/New_York', size: 3_552 }, { lib: '/usr/share/zoneinfo/Europe/Berlin', size: 2_298 },
      { lib: '/usr/share/zoneinfo/Etc/UTC', size: 114 }, { lib: '/usr/share/zoneinfo/tzdata.zi', size: 107_135 }, { lib: '/usr/share/zoneinfo/zone1970.tab', size: 17_597 },
    ] },
    { name: 'zstd-libs', version: '1.5.6-r0', description: 'Zstandard - Fast real-time compression algorithm (libraries)', url: 'https://www.zstd.net', license: 'BSD-3-Clause OR GPL-2.0-or-later', origin: 'zstd', provides: 'so:libzstd.so.1=1.5.6', repository: MAIN, files: [...so('/usr/lib/libzstd.so.1', 'libzstd.so.1.5.6', 808_200)] },
  ];
  return [...base, ...extra].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The triggers a package's files fire, as apk runs them after a commit: busybox's for its watched dirs. */
export const APK_TRIGGERS: Readonly<Record<string, string>> = {
  'ca-certificates': '/usr/share/ca-certificates* /usr/local/share/ca-certificates* /etc/ssl/certs*',
};
