/**
 * alpine (docker.io/library/alpine) — the minirootfs of Alpine Linux 3.20: its fifteen base packages
 * (musl, busybox with its applets as symlinks to `/bin/busybox`, busybox-binsh, alpine-baselayout(-data),
 * alpine-keys, alpine-release, apk-tools, ca-certificates-bundle, libcrypto3, libssl3, musl-utils, scanelf,
 * ssl_client, zlib), their apk database, `/etc/os-release` and `/etc/alpine-release`. `CMD ["/bin/sh"]`.
 * `alpineBase` also builds the older 3.10 release polinux/stress was built on.
 */
import { ImageIndex, type Image } from '../../image/image.ts';
import { installApk, type ApkPackage } from './apk.ts';
import { ImageRecipe, once, perArch } from './imageRecipe.ts';
import { machine, Rootfs, type Arch } from './rootfs.ts';
import type { RegistryRepository } from '../registry.ts';

/** Where Alpine's busybox installs each applet (`busybox --install -s`, as /etc/busybox-paths.d lists). */
export const ALPINE_APPLETS: Readonly<Record<string, string>> = {
  '/bin': `arch ash base64 bbconfig cat chattr chgrp chmod chown cp date dd df dmesg dnsdomainname dumpkmap echo egrep false
fatattr fdflush fgrep fsync getopt grep gunzip gzip hostname ionice iostat ipcalc kbd_mode kill link linux32 linux64 ln login
ls lsattr lzop makemime mkdir mknod mktemp more mount mountpoint mpstat mv netstat nice pidof ping ping6 pipe_progress
printenv ps pwd reformime rev rm rmdir run-parts sed setpriv setserial sleep stat stty su sync tar touch true umount uname
usleep watch zcat`,
  '/sbin': `acpid adjtimex arp blkid blockdev depmod fbsplash fdisk findfs fsck fstrim getty halt hwclock ifconfig ifdown
ifenslave ifup init inotifyd insmod ip ipaddr iplink ipneigh iproute iprule iptunnel klogd loadkmap logread losetup lsmod
mdev mkdosfs mkfs.vfat mkswap modinfo modprobe nameif nologin pivot_root poweroff raidautorun reboot rmmod route setconsole
slattach swapoff swapon switch_root sysctl syslogd tunctl udhcpc vconfig watchdog`,
  '/usr/bin': `[ [[ awk basename bc beep blkdiscard bunzip2 bzcat bzip2 cal chvt cksum clear cmp comm cpio crontab cryptpw cut dc
deallocvt diff dirname dos2unix du eject env expand expr factor fallocate find flock fold free fuser groups hd head hexdump
hostid id install ipcrm ipcs killall last less logger lsof lsusb lzcat lzma md5sum mesg microcom mkfifo mkpasswd nc nl
nmeter nohup nproc nsenter nslookup od openvt paste patch pgrep pkill pmap printf pscan pstree pwdx readlink realpath renice
reset resize seq setkeycodes setsid sha1sum sha256sum sha3sum sha512sum showkey shred shuf sort split strings sum tac tail
tee test time timeout top tr traceroute traceroute6 tree truncate tty ttysize udhcpc6 unexpand uniq unix2dos unlink unlzma
unlzop unshare unxz unzip uptime uudecode uuencode vi vlock volname wc wget which whoami whois xargs xxd xzcat yes`,
  '/usr/sbin': `add-shell addgroup adduser arping brctl chpasswd chroot crond delgroup deluser ether-wake fbset killall5 loadfont
nanddump nandwrite nbd-client ntpd partprobe rdate rdev readahead remove-shell rfkill sendmail setfont setlogcons`,
};

const PASSWD = `root:x:0:0:root:/root:/bin/sh
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin
sync:x:5:0:sync:/sbin:/bin/sync
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
mail:x:8:12:mail:/var/mail:/sbin/nologin
news:x:9:13:news:/usr/lib/news:/sbin/nologin
uucp:x:10:14:uucp:/var/spool/uucppublic:/sbin/nologin
cron:x:16:16:cron:/var/spool/cron:/sbin/nologin
ftp:x:21:21::/var/lib/ftp:/sbin/nologin
sshd:x:22:22:sshd:/dev/null:/sbin/nologin
games:x:35:35:games:/usr/games:/sbin/nologin
ntp:x:123:123:NTP:/var/empty:/sbin/nologin
guest:x:405:100:guest:/dev/null:/sbin/nologin
nobody:x:65534:65534:nobody:/:/sbin/nologin
`;

const GROUP = `root:x:0:root
bin:x:1:root,bin,daemon
daemon:x:2:root,bin,daemon
sys:x:3:root,bin
adm:x:4:root,daemon
tty:x:5:
disk:x:6:root
lp:x:7:lp
kmem:x:9:
wheel:x:10:root
floppy:x:11:root
mail:x:12:mail
news:x:13:news
uucp:x:14:uucp
cron:x:16:cron
audio:x:18:
cdrom:x:19:
dialout:x:20:root
ftp:x:21:
sshd:x:22:
input:x:23:
tape:x:26:root
video:x:27:root
netdev:x:28:
kvm:x:34:kvm
games:x:35:
shadow:x:42:
www-data:x:82:
users:x:100:games
ntp:x:123:
abuild:x:300:
utmp:x:406:
ping:x:999:
nogroup:x:65533:
nobody:x:65534:
`;

const PROFILE = `# Append "$1" to $PATH when not already in.
# Copied from Arch Linux, see #4918
append_path () {
    case ":$PATH:" in
        *:"$1":*)
            ;;
        *)
            PATH="\${PATH:+$PATH:}$1"
    esac
}

# Append our default paths
append_path "/usr/local/sbin"
append_path "/usr/local/bin"
append_path "/usr/sbin"
append_path "/usr/bin"
append_path "/sbin"
append_path "/bin"
unset -f append_path

export PATH
export PAGER=less
umask 022

# use nicer PS1 for bash and busybox ash
if [ -n "$BASH_VERSION" -o "$BB_ASH_VERSION" ]; then
\tPS1='\\h:\\w\\$ '
# use nicer PS1 for zsh
elif [ -n "$ZSH_VERSION" ]; then
\tPS1='%m:%~%# '
# set up fallback default PS1
else
\t: "\${HOSTNAME:=$(hostname)}"
\tPS1='\${HOSTNAME%%.*}:$PWD'
\t[ "$(id -u)" -eq 0 ] && PS1="\${PS1}# " || PS1="\${PS1}\\$ "
fi

for script in /etc/profile.d/*.sh ; do
\tif [ -r "$script" ] ; then
\t\t. "$script"
\tfi
done
unset script
`;

/** One Alpine release's minirootfs: its version, build time and package versions. */
export interface AlpineRelease {
  /** `3.20.3`. */
  version: string;
  /** Build time, seconds. */
  mtime: number;
  /** The base packages, for an architecture. */
  packages(arch: Arch): ApkPackage[];
}

const MUSL_URL = 'https://musl.libc.org/';
const BB_URL = 'https://busybox.net/';

/** Alpine 3.20.3. */
export const ALPINE_3_20: AlpineRelease = {
  version: '3.20.3',
  mtime: 1725580800,
  packages: (arch) => {
    const m = machine(arch);
    return [
      { name: 'alpine-baselayout', version: '3.6.5-r0', description: 'Alpine base dir structure and init scripts', url: 'https://git.alpinelinux.org/cgit/aports/tree/main/alpine-baselayout', license: 'GPL-2.0-only', depends: 'alpine-baselayout-data=3.6.5-r0 /bin/sh', files: [
        { file: '/etc/profile', data: PROFILE }, { file: '/etc/profile.d/color_prompt.sh.disabled', data: '# Setup a red prompt for root and a green one for users.\n' },
        { file: '/etc/profile.d/locale.sh', data: 'export CHARSET=${CHARSET:-UTF-8}\nexport LANG=${LANG:-C.UTF-8}\nexport LC_COLLATE=${LC_COLLATE:-C}\n' },
        { file: '/etc/crontabs/root', data: '# do daily/weekly/monthly maintenance\n# min\thour\tday\tmonth\tweekday\tcommand\n*/15\t*\t*\t*\t*\trun-parts /etc/periodic/15min\n0\t*\t*\t*\t*\trun-parts /etc/periodic/hourly\n0\t2\t*\t*\t*\trun-parts /etc/periodic/daily\n0\t3\t*\t*\t6\trun-parts /etc/periodic/weekly\n0\t5\t1\t*\t*\trun-parts /etc/periodic/monthly\n', mode: 0o600 },
        { file: '/etc/modprobe.d/blacklist.conf', data: '# blacklist pcspkr\nblacklist pcspkr\n' },
        { file: '/etc/sysctl.d/00-alpine.conf', data: 'net.ipv4.ping_group_range = 999 59999\nkernel.panic = 120\n' },
        { link: '/etc/mtab', target: '../proc/self/mounts' },
      ] },
      { name: 'alpine-baselayout-data', version: '3.6.5-r0', description: 'Alpine base dir structure and init scripts', url: 'https://git.alpinelinux.org/cgit/aports/tree/main/alpine-baselayout', license: 'GPL-2.0-only', origin: 'alpine-baselayout', files: [
        { file: '/etc/fstab', data: '/dev/cdrom\t/media/cdrom\tiso9660\tnoauto,ro 0 0\n/dev/usbdisk\t/media/usb\tvfat\tnoauto,ro 0 0\n' },
        { file: '/etc/group', data: GROUP }, { file: '/etc/hostname', data: 'localhost\n' },
        { file: '/etc/hosts', data: '127.0.0.1\tlocalhost localhost.localdomain\n::1\t\tlocalhost localhost.localdomain\n' },
        { file: '/etc/inittab', data: '# /etc/inittab\n\n::sysinit:/sbin/openrc sysinit\n::sysinit:/sbin/openrc boot\n::wait:/sbin/openrc default\n\n::ctrlaltdel:/sbin/reboot\n::shutdown:/sbin/openrc shutdown\n' },
        { file: '/etc/modules', data: 'af_packet\nipv6\n' },
        { file: '/etc/nsswitch.conf', data: '# musl itself does not support NSS, however some third-party DNS\n# implementations use the nsswitch.conf file to determine what\n# policy to follow.\nhosts: files dns\n' },
        { file: '/etc/passwd', data: PASSWD }, { file: '/etc/shadow', data: PASSWD.replace(/:x:.*$/gm, ':*:19000:0:::::').replace(/^root:\*/m, 'root:*'), mode: 0o640 },
        { file: '/etc/shells', data: '# valid login shells\n/bin/sh\n/bin/ash\n' },
        { lib: '/etc/services', size: 12_813 }, { lib: '/etc/protocols', size: 3_164 },
      ] },
      { name: 'alpine-keys', version: '2.4-r1', description: 'Public keys for Alpine Linux packages', url: 'https://alpinelinux.org', license: 'MIT', files: [
        { lib: '/etc/apk/keys/alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub', size: 451 },
        { lib: '/etc/apk/keys/alpine-devel@lists.alpinelinux.org-5261cecb.rsa.pub', size: 451 },
        { lib: '/etc/apk/keys/alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub', size: 800 },
      ] },
      { name: 'alpine-release', version: '3.20.3-r0', description: 'Alpine release data', url: 'https://alpinelinux.org', license: 'MIT', origin: 'alpine-base', files: [
        { file: '/etc/alpine-release', data: '3.20.3\n' },
        { file: '/etc/issue', data: 'Welcome to Alpine Linux 3.20\nKernel \\r on an \\m (\\l)\n\n' },
        { link: '/etc/os-release', target: '../usr/lib/os-release' },
        { file: '/usr/lib/os-release', data: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n' },
      ] },
      { name: 'apk-tools', version: '2.14.4-r1', description: 'Alpine Package Keeper - package manager for alpine', url: 'https://gitlab.alpinelinux.org/alpine/apk-tools', license: 'GPL-2.0-only', depends: 'musl>=1.2.3_git20230424 ca-certificates-bundle so:libc.musl-' + m + '.so.1 so:libcrypto.so.3 so:libssl.so.3 so:libz.so.1', provides: 'so:libapk.so.2.14.0=2.14.0 cmd:apk=2.14.4-r1', files: [
        { bin: '/sbin/apk', size: 67_952 }, { lib: '/lib/libapk.so.2.14.0', size: 198_640 },
        { file: '/etc/apk/arch', data: `${m}\n` },
        { file: '/etc/apk/repositories', data: 'https://dl-cdn.alpinelinux.org/alpine/v3.20/main\nhttps://dl-cdn.alpinelinux.org/alpine/v3.20/community\n' },
        { file: '/etc/apk/world', data: 'alpine-baselayout\nalpine-keys\napk-tools\nbusybox\nca-certificates-bundle\nlibc-utils\n' },
      ] },
      { name: 'busybox', version: '1.36.1-r29', description: 'Size optimized toolbox of many common UNIX utilities', url: BB_URL, license: 'GPL-2.0-only', provides: 'cmd:busybox=1.36.1-r29', files: [
        { bin: '/bin/busybox', size: 808_712 },
        { file: '/etc/securetty', data: 'console\ntty1\ntty2\ntty3\ntty4\ntty5\ntty6\n' },
        { file: '/etc/udhcpd.conf', data: '# Sample udhcpd configuration file (/etc/udhcpd.conf)\nstart\t\t192.168.0.20\nend\t\t192.168.0.254\ninterface\teth0\n' },
        { file: '/etc/logrotate.d/acpid', data: '/var/log/acpid.log {\n\tmissingok\n\tnotifempty\n\tsharedscripts\n}\n' },
      ] },
      { name: 'busybox-binsh', version: '1.36.1-r29', description: 'busybox ash /bin/sh', url: BB_URL, license: 'GPL-2.0-only', origin: 'busybox', depends: 'busybox=1.36.1-r29', provides: '/bin/sh cmd:sh=1.36.1-r29', files: [{ link: '/bin/sh', target: '/bin/busybox' }] },
      { name: 'ca-certificates-bundle', version: '20240705-r0', description: 'Pre generated bundle of Mozilla certificates', url: 'https://www.mozilla.org/en-US/about/governance/policies/security-group/certs/', license: 'MPL-2.0 AND MIT', origin: 'ca-certificates', files: [
        { lib: '/etc/ssl/certs/ca-certificates.crt', size: 219_342 }, { link: '/etc/ssl/cert.pem', target: 'certs/ca-certificates.crt' },
      ] },
      { name: 'libcrypto3', version: '3.3.2-r0', description: 'Crypto library from openssl', url: 'https://www.openssl.org/', license: 'Apache-2.0', origin: 'openssl', provides: 'so:libcrypto.so.3=3', files: [
        { lib: '/lib/libcrypto.so.3', size: 4_399_128 }, { lib: '/usr/lib/engines-3/afalg.so', size: 22_648 }, { lib: '/usr/lib/engines-3/capi.so', size: 14_392 },
        { lib: '/usr/lib/engines-3/loader_attic.so', size: 55_432 }, { lib: '/usr/lib/engines-3/padlock.so', size: 14_392 }, { lib: '/usr/lib/ossl-modules/legacy.so', size: 104_064 },
        { file: '/etc/ssl/openssl.cnf', data: '#\n# OpenSSL example configuration file.\n# See doc/man5/config.pod for more info.\n#\nopenssl_conf = openssl_init\n\n[openssl_init]\nproviders = provider_sect\n\n[provider_sect]\ndefault = default_sect\n\n[default_sect]\n# activate = 1\n' },
      ] },
      { name: 'libssl3', version: '3.3.2-r0', description: 'SSL shared libraries', url: 'https://www.openssl.org/', license: 'Apache-2.0', origin: 'openssl', provides: 'so:libssl.so.3=3', files: [{ lib: '/lib/libssl.so.3', size: 605_312 }] },
      { name: 'musl', version: '1.2.5-r0', description: 'the musl c library (libc) implementation', url: MUSL_URL, license: 'MIT', provides: `so:libc.musl-${m}.so.1=1`, files: [
        { lib: `/lib/ld-musl-${m}.so.1`, size: 667_656 }, { link: `/lib/libc.musl-${m}.so.1`, target: `ld-musl-${m}.so.1` },
      ] },
      { name: 'musl-utils', version: '1.2.5-r0', description: 'the musl c library (libc) implementation', url: MUSL_URL, license: 'MIT AND BSD-2-Clause AND GPL-2.0-or-later', origin: 'musl', files: [
        { bin: '/sbin/ldconfig', size: 393 }, { bin: '/usr/bin/getconf', size: 38_312 }, { bin: '/usr/bin/getent', size: 51_224 },
        { bin: '/usr/bin/iconv', size: 22_440 }, { link: '/usr/bin/ldd', target: `/lib/ld-musl-${m}.so.1` },
      ] },
      { name: 'scanelf', version: '1.3.7-r2', description: 'Scan ELF binaries for stuff', url: 'https://wiki.gentoo.org/wiki/Hardened/PaX_Utilities', license: 'GPL-2.0-only', origin: 'pax-utils', files: [{ bin: '/usr/bin/scanelf', size: 71_688 }] },
      { name: 'ssl_client', version: '1.36.1-r29', description: 'EXternal ssl_client for busybox wget', url: BB_URL, license: 'GPL-2.0-only', origin: 'busybox', files: [{ bin: '/usr/bin/ssl_client', size: 14_328 }] },
      { name: 'zlib', version: '1.3.1-r1', description: 'A compression/decompression Library', url: 'https://zlib.net/', license: 'Zlib', provides: 'so:libz.so.1=1.3.1', files: [
        { link: '/lib/libz.so.1', target: 'libz.so.1.3.1' }, { lib: '/lib/libz.so.1.3.1', size: 100_264 },
      ] },
    ];
  },
};

/** Alpine 3.10.1 (mid-2019), the base of polinux/stress. */
export const ALPINE_3_10: AlpineRelease = {
  version: '3.10.1',
  mtime: 1563235200,
  packages: (arch) => {
    const m = machine(arch);
    const pkgs = ALPINE_3_20.packages(arch).filter((p) => !['alpine-baselayout-data', 'busybox-binsh', 'libcrypto3', 'libssl3', 'alpine-release'].includes(p.name));
    const versions: Record<string, string> = {
      'alpine-baselayout': '3.1.2-r0', 'alpine-keys': '2.1-r2', 'apk-tools': '2.10.4-r2', busybox: '1.30.1-r2', 'ca-certificates-bundle': '20190108-r0',
      'musl': '1.1.22-r3', 'musl-utils': '1.1.22-r3', scanelf: '1.2.3-r0', ssl_client: '1.30.1-r2', zlib: '1.2.11-r1',
    };
    const renamed = pkgs.map((p) => ({ ...p, version: versions[p.name] ?? p.version, name: p.name === 'ca-certificates-bundle' ? 'ca-certificates-cacert' : p.name }));
    return [
      ...renamed.map((p) => p.name === 'busybox' ? { ...p, files: [...p.files, { link: '/bin/sh', target: '/bin/busybox' }] } : p),
      { name: 'libcrypto1.1', version: '1.1.1c-r0', description: 'Crypto library from openssl', url: 'https://www.openssl.org', license: 'OpenSSL', origin: 'openssl', files: [{ lib: '/lib/libcrypto.so.1.1', size: 2_601_512 }] },
      { name: 'libssl1.1', version: '1.1.1c-r0', description: 'SSL shared libraries', url: 'https://www.openssl.org', license: 'OpenSSL', origin: 'openssl', files: [{ lib: '/lib/libssl.so.1.1', size: 520_368 }] },
      { name: 'libtls-standalone', version: '2.9.1-r0', description: 'libtls extricated from libressl sources', url: 'https://www.libressl.org/', license: 'ISC', files: [{ lib: '/usr/lib/libtls-standalone.so.1.0.0', size: 71_880 }] },
      { name: 'libc-utils', version: '0.7.1-r0', description: 'Meta package to pull in correct libc', url: 'https://alpinelinux.org', license: 'BSD-2-Clause AND BSD-3-Clause', origin: 'libc-dev', files: [] },
      { name: 'alpine-release', version: '3.10.1-r0', description: 'Alpine release data', url: 'https://alpinelinux.org', license: 'MIT', origin: 'alpine-base', files: [
        { file: '/etc/alpine-release', data: '3.10.1\n' },
        { file: '/etc/os-release', data: `NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.10.1\nPRETTY_NAME="Alpine Linux v3.10"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://bugs.alpinelinux.org/"\n` },
        { file: `/etc/apk/arch`, data: `${m}\n` },
      ] },
    ].sort((a, b) => (a.name < b.name ? -1 : 1));
  },
};

/** The minirootfs of `release` as a Rootfs (so derived layers can reuse its package list). */
export function alpineRootfs(release: AlpineRelease, arch: Arch): Rootfs {
  const fs = new Rootfs(arch, release.mtime);
  for (const dir of ['/dev', '/home', '/media/cdrom', '/media/floppy', '/media/usb', '/mnt', '/opt', '/proc', '/run', '/srv', '/sys', '/usr/local/bin', '/usr/local/lib', '/usr/local/share', '/var/cache/apk', '/var/empty', '/var/lib/misc', '/var/local', '/var/log', '/var/mail', '/var/opt', '/var/spool/cron', '/etc/periodic/15min', '/etc/periodic/daily', '/etc/periodic/hourly', '/etc/periodic/monthly', '/etc/periodic/weekly']) fs.dir(dir);
  fs.dir('/root', { mode: 0o700 }).dir('/tmp', { mode: 0o1777 }).dir('/var/tmp', { mode: 0o1777 });
  fs.symlink('/var/run', '../run').symlink('/var/lock', '../run/lock').symlink('/var/spool/mail', '../mail');
  fs.file('/lib/apk/db/installed', installApk(fs, release.packages(arch), release.mtime));
  fs.file('/lib/apk/db/lock', '').file('/lib/apk/db/scripts.tar', '', { size: 10_240 }).file('/lib/apk/db/triggers', 'busybox /bin /usr/bin /sbin /usr/sbin /lib/modules/*\n');
  for (const [dir, applets] of Object.entries(ALPINE_APPLETS)) {
    for (const applet of applets.split(/\s+/).filter(Boolean)) fs.symlink(`${dir}/${applet}`, '/bin/busybox');
  }
  return fs;
}

/** The minirootfs image of `release`: one layer, `CMD ["/bin/sh"]`. */
export function alpineBase(release: AlpineRelease, arch: Arch): Image {
  const created = new Date(release.mtime * 1000).toISOString().replace('.000Z', 'Z');
  return new ImageRecipe(arch, created)
    .layer(`ADD alpine-minirootfs-${release.version}-${machine(arch)}.tar.gz / # buildkit`, alpineRootfs(release, arch).layer({ compressionRatio: 0.45 }), 'buildkit.dockerfile.v0')
    .cmd('/bin/sh')
    .build();
}

/** alpine:3.20 for one architecture. */
export const alpine = perArch((arch) => alpineBase(ALPINE_3_20, arch));

const tag = once(() => new ImageIndex([alpine('amd64'), alpine('arm64')]));

/** docker.io/library/alpine. */
export const alpineRepository: RegistryRepository = {
  path: 'library/alpine',
  tags: { latest: tag, '3.20': tag, '3.20.3': tag, '3': tag },
};
