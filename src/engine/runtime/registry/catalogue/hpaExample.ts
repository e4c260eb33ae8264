/**
 * registry.k8s.io/hpa-example — the php-apache image of the HorizontalPodAutoscaler walkthrough, as
 * kubernetes/kubernetes test/images/hpa-example builds it: `FROM php:5-apache`, `COPY index.php
 * /var/www/html/index.php`, `RUN chmod a+rx index.php`, its index.php computing a million square roots
 * before echoing `OK!`. php:5-apache is docker-library/php's 5.6/apache of early 2016 on debian:jessie:
 * the PHPIZE_DEPS toolchain, Debian's apache2-bin 2.4.10 switched to the prefork MPM, docker-library's own
 * apache2.conf (ErrorLog to fd 2, the combined CustomLog to fd 1, `.php` to application/x-httpd-php,
 * DirectoryIndex index.php), PHP 5.6.18 built from source with `--with-apxs2` (its source tree left in
 * /usr/src/php, which is much of the image's ~480 MB), the docker-php-ext-* scripts and apache2-foreground;
 * WORKDIR /var/www/html, EXPOSE 80, CMD ["apache2-foreground"]. /usr/sbin/apache2 and /usr/local/bin/php
 * run the programs of programs/apache2. One platform (linux/amd64) with a Docker v2 schema 2 manifest,
 * as the image was pushed.
 *
 * Left out: debian:jessie's files beyond a base system's main ones (the rest are sized fillers), the
 * apt lists and gpg keyring contents, PHP_SHA256 (its value could not be verified here), Apache's
 * icons and error documents, and the BuildKit wording of the empty-layer history entries (the classic
 * builder wrote `#(nop)` lines).
 */
import type { Image } from '../../image/image.ts';
import type { Layer } from '../../image/layer.ts';
import type { RegistryRepository } from '../registry.ts';
import { dpkgStatus, dpkgTable } from './dpkg.ts';
import { ImageRecipe, once } from './imageRecipe.ts';
import { Rootfs } from './rootfs.ts';

/** hpa-example's index.php, as in kubernetes/kubernetes test/images/hpa-example. */
export const HPA_EXAMPLE_INDEX_PHP = `<?php
  $x = 0.0001;
  for ($i = 0; $i <= 1000000; $i++) {
    $x += sqrt($x);
  }
  echo "OK!";
?>
`;

/** docker-library/php's apache2.conf for the 5.6 apache variant. */
export const PHP_APACHE2_CONF = `# see http://sources.debian.net/src/apache2/2.4.10-1/debian/config-dir/apache2.conf/

Mutex file:/var/lock/apache2 default
PidFile /var/run/apache2/apache2.pid
Timeout 300
KeepAlive On
MaxKeepAliveRequests 100
KeepAliveTimeout 5
User www-data
Group www-data
HostnameLookups Off
ErrorLog /proc/self/fd/2
LogLevel warn

IncludeOptional mods-enabled/*.load
IncludeOptional mods-enabled/*.conf

# ports.conf
Listen 80
<IfModule ssl_module>
\tListen 443
</IfModule>
<IfModule mod_gnutls.c>
\tListen 443
</IfModule>

<Directory />
\tOptions FollowSymLinks
\tAllowOverride None
\tRequire all denied
</Directory>

<Directory /var/www/>
\tAllowOverride All
\tRequire all granted
</Directory>

DocumentRoot /var/www/html

AccessFileName .htaccess
<FilesMatch "^\\.ht">
\tRequire all denied
</FilesMatch>

LogFormat "%v:%p %h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\" \\"%{User-Agent}i\\"" vhost_combined
LogFormat "%h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\" \\"%{User-Agent}i\\"" combined
LogFormat "%h %l %u %t \\"%r\\" %>s %O" common
LogFormat "%{Referer}i -> %U" referer
LogFormat "%{User-agent}i" agent

CustomLog /proc/self/fd/1 combined

<FilesMatch \\.php$>
\tSetHandler application/x-httpd-php
</FilesMatch>

# Multiple DirectoryIndex directives within the same context will add
# to the list of candidates instead of replacing.
DirectoryIndex disabled
DirectoryIndex index.php index.html
`;

/** Debian's mods-available/mpm_prefork.conf. */
export const MPM_PREFORK_CONF = `# prefork MPM
# StartServers: number of server processes to start
# MinSpareServers: minimum number of server processes which are kept spare
# MaxSpareServers: maximum number of server processes which are kept spare
# MaxRequestWorkers: maximum number of server processes allowed to start
# MaxConnectionsPerChild: maximum number of requests a server process serves

<IfModule mpm_prefork_module>
\tStartServers\t\t\t 5
\tMinSpareServers\t\t  5
\tMaxSpareServers\t\t 10
\tMaxRequestWorkers\t  150
\tMaxConnectionsPerChild   0
</IfModule>

# vim: syntax=apache ts=4 sw=4 sts=4 sr noet
`;

/** docker-library/php's apache2-foreground of the time. */
export const APACHE2_FOREGROUND = `#!/bin/bash
set -e

# Apache gets grumpy about PID files pre-existing
rm -f /var/run/apache2/apache2.pid

exec apache2 -DFOREGROUND
`;

/** The modules Debian's apache2 enables, with php5 and prefork as the image leaves them: name → has a .conf. */
const ENABLED_MODULES: ReadonlyArray<[string, string | undefined]> = [
  ['access_compat', undefined],
  ['alias', '<IfModule alias_module>\n\tAlias /icons/ "/usr/share/apache2/icons/"\n\n\t<Directory "/usr/share/apache2/icons">\n\t\tOptions FollowSymlinks\n\t\tAllowOverride None\n\t\tRequire all granted\n\t</Directory>\n</IfModule>\n'],
  ['auth_basic', undefined],
  ['authn_core', undefined],
  ['authn_file', undefined],
  ['authz_core', undefined],
  ['authz_host', undefined],
  ['authz_user', undefined],
  ['autoindex', '<IfModule mod_autoindex.c>\n\tIndexOptions FancyIndexing VersionSort HTMLTable NameWidth=* DescriptionWidth=* Charset=UTF-8\n\tIndexIgnore .??* *~ *# RCS CVS *,v *,t\n</IfModule>\n'],
  ['deflate', '<IfModule mod_deflate.c>\n\t<IfModule mod_filter.c>\n\t\tAddOutputFilterByType DEFLATE text/html text/plain text/xml text/css\n\t\tAddOutputFilterByType DEFLATE application/x-javascript application/javascript application/ecmascript\n\t\tAddOutputFilterByType DEFLATE application/rss+xml\n\t\tAddOutputFilterByType DEFLATE application/xml\n\t</IfModule>\n</IfModule>\n'],
  ['dir', '<IfModule mod_dir.c>\n\tDirectoryIndex index.html index.cgi index.pl index.php index.xhtml index.htm\n</IfModule>\n'],
  ['env', undefined],
  ['filter', undefined],
  ['mime', '<IfModule mod_mime.c>\n\tTypesConfig /etc/mime.types\n\tAddType application/x-compress .Z\n\tAddType application/x-gzip .gz .tgz\n\tAddType application/x-bzip2 .bz2\n\tAddLanguage en .en\n\tAddCharset UTF-8 .utf8\n</IfModule>\n'],
  ['mpm_prefork', MPM_PREFORK_CONF],
  ['negotiation', '<IfModule mod_negotiation.c>\n\tLanguagePriority en ca cs da de el eo es et fr he hr it ja ko ltz nl nn no pl pt pt-BR ru sv tr zh-CN zh-TW\n\tForceLanguagePriority Prefer Fallback\n</IfModule>\n'],
  ['php5', undefined],
  ['setenvif', '<IfModule mod_setenvif.c>\n\tBrowserMatch "Mozilla/2" nokeepalive\n\tBrowserMatch "MSIE 4\\.0b2;" nokeepalive downgrade-1.0 force-response-1.0\n</IfModule>\n'],
  ['status', '<IfModule mod_status.c>\n\t<Location /server-status>\n\t\tSetHandler server-status\n\t\tRequire local\n\t</Location>\n\tExtendedStatus On\n</IfModule>\n'],
];

/** Other modules Debian ships in /usr/lib/apache2/modules, with their sizes. */
const OTHER_MODULES: ReadonlyArray<[string, number]> = [
  ['mpm_event', 71_424], ['mpm_worker', 62_952], ['ssl', 223_400], ['rewrite', 72_216], ['proxy', 121_032], ['proxy_http', 43_320], ['headers', 27_992],
  ['cgi', 27_896], ['include', 55_704], ['userdir', 10_392], ['info', 35_736], ['expires', 14_512], ['cache', 80_168], ['lua', 141_768], ['dav', 93_536],
  ['ldap', 72_144], ['unique_id', 14_488], ['vhost_alias', 14_512], ['socache_shmcb', 27_896], ['substitute', 18_616],
];

const LOAD_LINES: Readonly<Record<string, string>> = {
  mpm_prefork: '# Conflicts: mpm_event mpm_worker\nLoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so\n',
  php5: 'LoadModule php5_module /usr/lib/apache2/modules/libphp5.so\n',
  authz_core: 'LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so\n',
  autoindex: '# Depends: authz_core\nLoadModule autoindex_module /usr/lib/apache2/modules/mod_autoindex.so\n',
  deflate: '# Depends: filter\nLoadModule deflate_module /usr/lib/apache2/modules/mod_deflate.so\n',
};

/** debian:jessie's packages (dpkg-query -W), 8.3 of January 2016. */
const JESSIE_PACKAGES = dpkgTable(`
acl|2.2.52-2|utils|optional|200|no|Access control list utilities
adduser|3.113+nmu3|admin|important|849|no|add and remove users and groups
apt|1.0.9.8.2|admin|important|3271|no|commandline package manager
base-files|8+deb8u3|admin|required|221|yes|Debian base system miscellaneous files
base-passwd|3.5.37|admin|required|229|yes|Debian base system master password and group files
bash|4.3-11+b1|shells|required|5135|yes|GNU Bourne Again SHell
bsdutils|1:2.25.2-6|utils|required|181|yes|basic utilities from 4.4BSD-Lite
coreutils|8.23-4|utils|required|13855|yes|GNU core utilities
dash|0.5.7-4+b1|shells|required|191|yes|POSIX-compliant shell
debconf|1.5.56|admin|important|1327|no|Debian configuration management system
debian-archive-keyring|2014.3|misc|important|85|no|GnuPG archive keys of the Debian archive
debianutils|4.4+b1|utils|required|213|yes|Miscellaneous utilities specific to Debian
diffutils|1:3.3-1+b1|utils|required|1277|yes|File comparison utilities
dmsetup|2:1.02.90-2.2|admin|optional|137|no|Linux Kernel Device Mapper userspace library
dpkg|1.17.26|admin|required|6770|yes|Debian package management system
e2fslibs|1.42.12-1.1|libs|required|449|no|ext2/ext3/ext4 file system libraries
e2fsprogs|1.42.12-1.1|admin|required|3042|yes|ext2/ext3/ext4 file system utilities
findutils|4.4.2-9+b1|utils|required|1283|yes|utilities for finding files--find, xargs
gcc-4.8-base|4.8.4-1|libs|required|222|no|GCC, the GNU Compiler Collection (base package)
gcc-4.9-base|4.9.2-10|libs|required|220|no|GCC, the GNU Compiler Collection (base package)
gnupg|1.4.18-7|utils|important|4809|no|GNU privacy guard - a free PGP replacement
gpgv|1.4.18-7|utils|important|415|no|GNU privacy guard - signature verification tool
grep|2.20-4.1|utils|required|1077|yes|GNU grep, egrep and fgrep
gzip|1.6-4|utils|required|230|yes|GNU compression utilities
hostname|3.15|admin|required|47|yes|utility to set/show the host name or domain name
init|1.22|metapackages|required|70|yes|System-V-like init utilities - metapackage
initscripts|2.88dsf-59|admin|required|217|no|scripts for initializing and shutting down the system
insserv|1.14.0-5|misc|required|266|no|boot sequence organizer using LSB init.d script dependency information
libc-bin|2.19-18+deb8u2|libs|required|2792|yes|GNU C Library: Binaries
libc6|2.19-18+deb8u2|libs|required|10488|no|GNU C Library: Shared libraries
libgcc1|1:4.9.2-10|libs|required|108|no|GCC support library
libncurses5|5.9+20140913-1+b1|libs|required|486|no|shared libraries for terminal handling
libpam-modules|1.1.8-3.1+deb8u1+b1|admin|required|874|no|Pluggable Authentication Modules for PAM
libpam0g|1.1.8-3.1+deb8u1+b1|libs|required|229|no|Pluggable Authentication Modules library
libpcre3|2:8.35-3.3|libs|important|480|no|Perl 5 Compatible Regular Expression Library - runtime files
libselinux1|2.3-2|libs|required|200|no|SELinux runtime shared libraries
libsystemd0|215-17+deb8u3|libs|important|255|no|systemd utility library
libtinfo5|5.9+20140913-1+b1|libs|required|478|no|shared low-level terminfo library for terminal handling
login|1:4.2-3|admin|required|2836|yes|system login tools
lsb-base|4.1+Debian13+nmu1|misc|required|49|no|Linux Standard Base 4.1 init script functionality
mawk|1.3.3-17|interpreters|required|183|no|a pattern scanning and text processing language
mount|2.25.2-6|admin|required|377|yes|Tools for mounting and manipulating filesystems
ncurses-base|5.9+20140913-1|misc|required|335|yes|basic terminal type definitions
passwd|1:4.2-3|admin|required|2446|no|change and administer password and group data
perl-base|5.20.2-3+deb8u3|perl|required|5053|yes|minimal Perl system
procps|2:3.3.9-9|admin|important|670|no|/proc file system utilities
sed|4.2.2-4+b1|utils|required|799|yes|The GNU sed stream editor
sensible-utils|0.0.9|utils|required|62|no|Utilities for sensible alternative selection
systemd|215-17+deb8u3|admin|important|13603|no|system and service manager
sysv-rc|2.88dsf-59|admin|required|117|no|System-V-like runlevel change mechanism
sysvinit-utils|2.88dsf-59|admin|required|110|yes|System-V-like utilities
tar|1.27.1-2+b1|utils|required|2580|yes|GNU version of the tar archiving utility
tzdata|2015g-0+deb8u1|localization|required|1772|no|time zone and daylight-saving time data
util-linux|2.25.2-6|utils|required|3512|yes|Miscellaneous system utilities
zlib1g|1:1.2.8.dfsg-2+b1|libs|required|148|no|compression library - runtime
`);

/** debian:jessie's accounts. */
const JESSIE_PASSWD = `root:x:0:0:root:/root:/bin/bash
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
irc:x:39:39:ircd:/var/run/ircd:/usr/sbin/nologin
gnats:x:41:41:Gnats Bug-Reporting System (admin):/var/lib/gnats:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
systemd-timesync:x:100:103:systemd Time Synchronization,,,:/run/systemd:/bin/false
systemd-network:x:101:104:systemd Network Management,,,:/run/systemd/netif:/bin/false
systemd-resolve:x:102:105:systemd Resolver,,,:/run/systemd/resolve:/bin/false
systemd-bus-proxy:x:103:106:systemd Bus Proxy,,,:/run/systemd:/bin/false
`;

const JESSIE_GROUP = `root:x:0:
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
gnats:x:41:
shadow:x:42:
utmp:x:43:
video:x:44:
sasl:x:45:
plugdev:x:46:
staff:x:50:
games:x:60:
users:x:100:
nogroup:x:65534:
systemd-journal:x:101:
systemd-timesync:x:102:
systemd-network:x:103:
systemd-resolve:x:104:
systemd-bus-proxy:x:105:
`;

/** Programs of jessie's unmerged /bin, with their sizes. */
const JESSIE_BIN: Readonly<Record<string, number>> = {
  bash: 1_029_624, dash: 125_400, cat: 51_840, chgrp: 60_064, chmod: 56_000, chown: 64_128, cp: 130_304, date: 68_464, dd: 72_632, df: 93_912,
  echo: 31_288, false: 27_168, grep: 191_760, gzip: 97_992, hostname: 14_904, kill: 23_008, ln: 60_160, login: 44_344, ls: 108_708, mkdir: 60_032,
  mknod: 39_680, mktemp: 39_680, more: 38_904, mount: 40_000, mv: 122_016, pidof: 14_728, ps: 93_200, pwd: 31_392, readlink: 39_744, rm: 60_064,
  rmdir: 39_616, sed: 73_352, sleep: 31_296, stty: 64_800, su: 40_168, sync: 31_264, tar: 353_912, touch: 64_176, true: 27_168, umount: 31_880,
  uname: 31_328, which: 946,
};

/** Programs of jessie's /usr/bin, with their sizes. */
const JESSIE_USR_BIN: Readonly<Record<string, number>> = {
  apt: 1_0, 'apt-get': 200_656, 'apt-cache': 81_896, dpkg: 265_440, 'dpkg-query': 127_568, env: 31_352, find: 233_984, xargs: 60_224, head: 43_616,
  tail: 64_192, id: 39_744, tr: 43_680, cut: 43_616, sort: 105_568, uniq: 43_616, wc: 43_616, tee: 31_392, du: 106_232, stat: 72_520, mawk: 121_664,
  perl: 1_798_600, getent: 22_976, diff: 146_824, top: 94_360, free: 14_728, expr: 43_680, basename: 31_296, dirname: 31_264, nproc: 31_296, seq: 47_776,
};

const JESSIE_LIBRARIES: Readonly<Record<string, number>> = {
  'libc-2.19.so': 1_738_176, 'ld-2.19.so': 140_928, 'libm-2.19.so': 1_051_056, 'libdl-2.19.so': 14_664, 'libpthread-2.19.so': 137_384,
  'librt-2.19.so': 31_744, 'libresolv-2.19.so': 84_840, 'libnss_files-2.19.so': 47_712, 'libnss_dns-2.19.so': 22_928, 'libcrypt-2.19.so': 35_176,
  'libncurses.so.5.9': 158_592, 'libtinfo.so.5.9': 166_880, 'libselinux.so.1': 134_296, 'libpcre.so.3.13.1': 449_952, 'libz.so.1.2.8': 109_144,
  'libsystemd.so.0.3.0': 387_512, 'libpam.so.0.83.1': 55_960, 'libacl.so.1.1.0': 35_296, 'libattr.so.1.1.0': 18_672, 'libgcc_s.so.1': 90_080,
};

const MTIME_JESSIE = 1453852800;

/** The classic builder's `file:<hex>` of a COPY or ADD: a digest of what it copied (here, the layer's content). */
function fileDigest(layer: Layer): string {
  return layer.diffId.replace(/^sha256:/, '');
}
const MTIME_PHP = 1454716800;
const MTIME_HPA = 1457395200;

/** debian:jessie (8.3, January 2016): unmerged /usr, its accounts, dpkg status and base system. */
function jessieBase(): Image {
  const fs = new Rootfs('amd64', MTIME_JESSIE);
  const lib = '/lib/x86_64-linux-gnu';
  for (const d of ['/boot', '/dev', '/home', '/media', '/mnt', '/opt', '/proc', '/run/lock', '/srv', '/sys', '/usr/games', '/usr/include', '/usr/local/bin', '/usr/local/etc', '/usr/local/games', '/usr/local/include', '/usr/local/lib', '/usr/local/sbin', '/usr/local/share', '/usr/local/src', '/usr/src', '/var/backups', '/var/cache/apt/archives/partial', '/var/lib/apt/lists/partial', '/var/local', '/var/log', '/var/mail', '/var/opt', '/var/spool', '/etc/profile.d']) fs.dir(d);
  fs.dir('/root', { mode: 0o700 }).dir('/tmp', { mode: 0o1777 }).dir('/var/tmp', { mode: 0o1777 });
  fs.symlink('/var/run', '/run').symlink('/var/lock', '/run/lock');
  for (const [name, size] of Object.entries(JESSIE_LIBRARIES)) {
    fs.library(`${lib}/${name}`, size);
    const glibc = /^lib(c|m|dl|pthread|rt|resolv|nss_files|nss_dns|crypt)-2\.19\.so$/.exec(name);
    const so = /^(lib[^/]+\.so\.\d+)\.[\d.]+$/.exec(name);
    if (glibc) fs.symlink(`${lib}/lib${glibc[1]}.so.${glibc[1] === 'c' || glibc[1] === 'm' ? 6 : glibc[1] === 'dl' ? 2 : glibc[1] === 'pthread' ? 0 : glibc[1] === 'rt' ? 1 : glibc[1] === 'resolv' ? 2 : glibc[1] === 'crypt' ? 1 : 2}`, name);
    else if (so) fs.symlink(`${lib}/${so[1]}`, name);
  }
  fs.symlink('/lib64/ld-linux-x86-64.so.2', `${lib}/ld-2.19.so`);
  for (const [name, size] of Object.entries(JESSIE_BIN)) fs.binary(`/bin/${name}`, name, size);
  for (const [name, size] of Object.entries(JESSIE_USR_BIN)) fs.binary(`/usr/bin/${name}`, name, size);
  fs.symlink('/bin/sh', 'dash').symlink('/bin/rbash', 'bash').symlink('/usr/bin/awk', '/etc/alternatives/awk').symlink('/etc/alternatives/awk', '/usr/bin/mawk');
  fs.file('/bin/zcat', '#!/bin/sh\nPATH=${GZIP_BINDIR-\'/bin\'}:$PATH\nexec gzip -cd "$@"\n', { mode: 0o755 }).file('/bin/gunzip', '#!/bin/sh\nPATH=${GZIP_BINDIR-\'/bin\'}:$PATH\nexec gzip -d "$@"\n', { mode: 0o755 });
  fs.binary('/sbin/ldconfig', 'ldconfig', 909_240).binary('/usr/sbin/useradd', 'useradd', 108_200).binary('/usr/sbin/groupadd', 'groupadd', 62_808);
  fs.file('/etc/os-release', 'PRETTY_NAME="Debian GNU/Linux 8 (jessie)"\nNAME="Debian GNU/Linux"\nVERSION_ID="8"\nVERSION="8 (jessie)"\nID=debian\nHOME_URL="http://www.debian.org/"\nSUPPORT_URL="http://www.debian.org/support/"\nBUG_REPORT_URL="https://bugs.debian.org/"\n');
  fs.file('/etc/debian_version', '8.3\n').file('/etc/issue', 'Debian GNU/Linux 8 \\n \\l\n\n').file('/etc/issue.net', 'Debian GNU/Linux 8\n');
  fs.file('/etc/passwd', JESSIE_PASSWD).file('/etc/group', JESSIE_GROUP);
  fs.file('/etc/shadow', JESSIE_PASSWD.replace(/:x:.*$/gm, ':*:16815:0:99999:7:::'), { mode: 0o640, gid: 42 }).file('/etc/gshadow', JESSIE_GROUP.replace(/:x:/g, ':*::'), { mode: 0o640, gid: 42 });
  fs.file('/etc/hostname', 'localhost\n').file('/etc/shells', '# /etc/shells: valid login shells\n/bin/sh\n/bin/dash\n/bin/bash\n/bin/rbash\n');
  fs.file('/etc/nsswitch.conf', '# /etc/nsswitch.conf\n\npasswd:         compat\ngroup:          compat\nshadow:         compat\n\nhosts:          files dns\nnetworks:       files\n\nprotocols:      db files\nservices:       db files\nethers:         db files\nrpc:            db files\n\nnetgroup:       nis\n');
  fs.file('/etc/apt/sources.list', 'deb http://httpredir.debian.org/debian jessie main\ndeb http://httpredir.debian.org/debian jessie-updates main\ndeb http://security.debian.org jessie/updates main\n');
  fs.file('/etc/profile', '# /etc/profile: system-wide .profile file for the Bourne shell (sh(1))\n# and Bourne compatible shells (bash(1), ksh(1), ash(1), ...).\n', { size: 767 });
  fs.file('/etc/bash.bashrc', '# System-wide .bashrc file for interactive bash(1) shells.\n', { size: 1_895 }).file('/root/.bashrc', '# ~/.bashrc: executed by bash(1) for non-login shells.\n', { size: 570 });
  fs.file('/etc/ld.so.cache', 'ld.so-1.7.0', { size: 6_912 }).file('/etc/timezone', 'Etc/UTC\n').symlink('/etc/localtime', '/usr/share/zoneinfo/Etc/UTC');
  fs.file('/var/lib/dpkg/status', dpkgStatus(JESSIE_PACKAGES, 'amd64', 'Debian Developers <debian-devel@lists.debian.org>')).file('/var/lib/dpkg/arch', 'amd64\n');
  // What a base system holds beyond the files above, so the layer has debian:jessie's 125 MB.
  fs.file('/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache', '', { size: 26_258 }).library('/usr/lib/x86_64-linux-gnu/gconv/libGB.so', 7_100_000);
  fs.library('/usr/lib/x86_64-linux-gnu/perl-base/Config_heavy.pl', 6_900_000).library('/lib/systemd/systemd', 1_461_208).library('/lib/x86_64-linux-gnu/security/pam_unix.so', 56_192);
  fs.file('/usr/share/zoneinfo/Etc/UTC', 'TZif2', { size: 118 }).file('/usr/share/zoneinfo/tzdata.zi', '', { size: 6_900_000 });
  fs.file('/usr/share/doc/README', 'See /usr/share/doc/<package>/ for each package\'s documentation.\n', { size: 20_900_000 });
  fs.file('/usr/share/locale/locale.alias', '# Locale name alias data base.\n', { size: 16_800_000 }).file('/usr/share/man/index.db', '', { size: 13_400_000 });
  fs.file('/usr/share/i18n/charmaps/UTF-8.gz', '', { size: 2_200_000 }).file('/usr/lib/locale/C.UTF-8/LC_CTYPE', '', { size: 250_000 });
  fs.file('/var/lib/dpkg/info/libc6:amd64.list', '/.\n/lib\n', { size: 4_800_000 }).file('/var/cache/debconf/templates.dat', 'Name: debconf/frontend\n', { size: 1_900_000 });
  fs.library('/lib/x86_64-linux-gnu/libdevmapper.so.1.02.1', 280_000).library('/usr/lib/x86_64-linux-gnu/libapt-pkg.so.4.12.0', 1_500_000).library('/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.20', 1_000_000);
  fs.binary('/lib/systemd/systemd-udevd', 'systemd-udevd', 390_000).file('/lib/udev/hwdb.bin', '', { size: 5_600_000 }).file('/usr/share/perl5/Debconf/Config.pm', '', { size: 9_500_000 });
  fs.file('/usr/share/gnupg/options.skel', '', { size: 8_200 }).binary('/usr/bin/gpg', 'gpg', 1_020_000).file('/usr/share/keyrings/debian-archive-keyring.gpg', '', { size: 53_000 });
  fs.file('/usr/share/common-licenses/GPL-3', '                    GNU GENERAL PUBLIC LICENSE\n', { size: 35_121 }).file('/usr/share/misc/magic.mgc', '', { size: 22_000_000 });
  const layer = fs.layer();
  return new ImageRecipe('amd64', '2016-01-27T00:00:00Z')
    .layer(`/bin/sh -c #(nop) ADD file:${fileDigest(layer)} in /`, layer)
    .cmd('/bin/bash')
    .build('docker');
}

/** docker-library/php 5.6/apache as of February 2016. */
function phpApache(): Image {
  const base = jessieBase();
  const deps = new Rootfs('amd64', MTIME_PHP);
  const gnu = '/usr/lib/x86_64-linux-gnu';
  for (const [path, program, size] of [['/usr/bin/gcc-4.9', 'gcc', 764_016], ['/usr/bin/g++-4.9', 'g++', 768_112], ['/usr/bin/cpp-4.9', 'cpp', 764_016], ['/usr/bin/make', 'make', 207_824], ['/usr/bin/pkg-config', 'pkg-config', 52_520], ['/usr/bin/re2c', 're2c', 335_088], ['/usr/bin/file', 'file', 22_832], ['/usr/bin/curl', 'curl', 162_696], ['/usr/bin/ld.bfd', 'ld', 1_101_928], ['/usr/bin/as', 'as', 356_640]] as const) deps.binary(path, program, size);
  deps.symlink('/usr/bin/gcc', 'gcc-4.9').symlink('/usr/bin/g++', 'g++-4.9').symlink('/usr/bin/cpp', 'cpp-4.9').symlink('/usr/bin/ld', 'ld.bfd').symlink('/usr/bin/cc', '/etc/alternatives/cc');
  deps.file('/usr/bin/autoconf', '#! /bin/sh\n# Generated from autoconf.as by GNU Autoconf 2.69.\n', { mode: 0o755, size: 14_756 }).file('/usr/bin/autoheader', '#! /usr/bin/perl\n', { mode: 0o755, size: 8_616 });
  deps.library('/usr/lib/gcc/x86_64-linux-gnu/4.9/cc1', 18_962_016).library('/usr/lib/gcc/x86_64-linux-gnu/4.9/cc1plus', 20_559_360).library('/usr/lib/gcc/x86_64-linux-gnu/4.9/lto1', 18_500_000);
  deps.library('/usr/lib/gcc/x86_64-linux-gnu/4.9/libstdc++.a', 4_900_000).library('/usr/lib/gcc/x86_64-linux-gnu/4.9/libasan.a', 3_300_000).library('/usr/lib/gcc/x86_64-linux-gnu/4.9/libgcc.a', 2_800_000);
  deps.file('/usr/include/stdio.h', '/* Define ISO C stdio on top of C++ iostreams.\n', { size: 31_568 }).file('/usr/include/c++/4.9/iostream', '// Standard iostream objects -*- C++ -*-\n', { size: 26_000_000 });
  deps.library(`${gnu}/libc.a`, 4_987_000).library(`${gnu}/libbfd-2.25-system.so`, 1_052_000).library(`${gnu}/libopcodes-2.25-system.so`, 341_000).library(`${gnu}/libisl.so.10.2.2`, 1_240_000);
  deps.library(`${gnu}/libcurl.so.4.3.0`, 476_448).library(`${gnu}/libxml2.so.2.9.1`, 1_453_496).library(`${gnu}/libsqlite3.so.0.8.6`, 945_000).library(`${gnu}/libedit.so.2.0.51`, 213_000).library(`${gnu}/libmagic.so.1.0.0`, 128_000);
  deps.library(`${gnu}/libssl.so.1.0.0`, 432_000).library(`${gnu}/libcrypto.so.1.0.0`, 2_052_000).library(`${gnu}/libicudata.so.52.1`, 21_960_000).library(`${gnu}/libicuuc.so.52.1`, 1_700_000).library(`${gnu}/libicui18n.so.52.1`, 2_440_000);
  deps.library(`${gnu}/libkrb5.so.3.3`, 798_000).library(`${gnu}/libldap_r-2.4.so.2.10.3`, 335_000).library(`${gnu}/libgnutls-deb0.so.28.41.0`, 1_221_000).library(`${gnu}/libgmp.so.10.2.0`, 527_000);
  deps.file('/usr/share/perl/5.20.2/unicore/Name.pl', '', { size: 26_000_000 }).library('/usr/lib/x86_64-linux-gnu/perl/5.20.2/auto/POSIX/POSIX.so', 27_000_000);
  deps.file('/usr/share/doc/gcc-4.9-base/changelog.Debian.gz', '', { size: 18_000_000 }).file('/usr/share/autoconf/autoconf/autoconf.m4f', '', { size: 3_400_000 });
  deps.file('/etc/ssl/certs/ca-certificates.crt', '-----BEGIN CERTIFICATE-----\n', { size: 250_000 }).file('/usr/share/ca-certificates/mozilla/README', '', { size: 180_000 });
  const confd = new Rootfs('amd64', MTIME_PHP).dir('/usr/local/etc/php/conf.d');
  const apache = new Rootfs('amd64', MTIME_PHP);
  apache.binary('/usr/sbin/apache2', 'apache2', 642_136).file('/usr/sbin/apache2ctl', '#!/bin/sh\n#\n# Licensed to the Apache Software Foundation (ASF) under one or more\n', { mode: 0o755, size: 7_325 }).symlink('/usr/sbin/apachectl', 'apache2ctl');
  for (const tool of ['a2enmod', 'a2enconf', 'a2ensite', 'a2query']) apache.file(`/usr/sbin/${tool}`, '#!/usr/bin/perl -w\n#\n# a2enmod by Stefan Fritsch <sf@debian.org>\n', { mode: 0o755, size: 15_617 });
  for (const [link, target] of [['a2dismod', 'a2enmod'], ['a2disconf', 'a2enconf'], ['a2dissite', 'a2ensite']]) apache.symlink(`/usr/sbin/${link}`, target!);
  apache.file('/etc/apache2/apache2.conf', '# This is the main Apache server configuration file.  It contains the\n', { size: 7_115 }).file('/etc/apache2/ports.conf', '# If you just change the port or add more ports here, you will likely also\n# have to change the VirtualHost statement in\n# /etc/apache2/sites-enabled/000-default.conf\n\nListen 80\n\n<IfModule ssl_module>\n\tListen 443\n</IfModule>\n\n<IfModule mod_gnutls.c>\n\tListen 443\n</IfModule>\n');
  apache.file('/etc/apache2/envvars', '# envvars - default environment variables for apache2ctl\n\nexport APACHE_RUN_USER=www-data\nexport APACHE_RUN_GROUP=www-data\nexport APACHE_PID_FILE=/var/run/apache2$SUFFIX/apache2.pid\nexport APACHE_RUN_DIR=/var/run/apache2$SUFFIX\nexport APACHE_LOCK_DIR=/var/lock/apache2$SUFFIX\nexport APACHE_LOG_DIR=/var/log/apache2$SUFFIX\n', { size: 1_782 });
  apache.file('/etc/apache2/magic', '# Magic data for mod_mime_magic Apache module (originally for file(1) command)\n', { size: 31_063 });
  apache.file('/etc/apache2/sites-available/000-default.conf', '<VirtualHost *:80>\n\tServerAdmin webmaster@localhost\n\tDocumentRoot /var/www/html\n\tErrorLog ${APACHE_LOG_DIR}/error.log\n\tCustomLog ${APACHE_LOG_DIR}/access.log combined\n</VirtualHost>\n', { size: 1_332 });
  apache.symlink('/etc/apache2/sites-enabled/000-default.conf', '../sites-available/000-default.conf');
  for (const c of ['charset', 'localized-error-pages', 'other-vhosts-access-log', 'security', 'serve-cgi-bin']) {
    apache.file(`/etc/apache2/conf-available/${c}.conf`, `# ${c}\n`, { size: 1_000 }).symlink(`/etc/apache2/conf-enabled/${c}.conf`, `../conf-available/${c}.conf`);
  }
  for (const [name, conf] of ENABLED_MODULES) {
    if (name === 'php5') continue;
    apache.file(`/etc/apache2/mods-available/${name}.load`, LOAD_LINES[name] ?? `LoadModule ${name}_module /usr/lib/apache2/modules/mod_${name}.so\n`);
    if (conf) apache.file(`/etc/apache2/mods-available/${name}.conf`, conf);
    apache.library(`/usr/lib/apache2/modules/mod_${name}.so`, name === 'mpm_prefork' ? 34_952 : 22_000);
    if (name !== 'mpm_prefork') {
      apache.symlink(`/etc/apache2/mods-enabled/${name}.load`, `../mods-available/${name}.load`);
      if (conf) apache.symlink(`/etc/apache2/mods-enabled/${name}.conf`, `../mods-available/${name}.conf`);
    }
  }
  apache.file('/etc/apache2/mods-available/mpm_event.load', '# Conflicts: mpm_worker mpm_prefork\nLoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\n').file('/etc/apache2/mods-available/mpm_event.conf', '# event MPM\n', { size: 568 });
  apache.symlink('/etc/apache2/mods-enabled/mpm_event.load', '../mods-available/mpm_event.load').symlink('/etc/apache2/mods-enabled/mpm_event.conf', '../mods-available/mpm_event.conf');
  for (const [name, size] of OTHER_MODULES) apache.library(`/usr/lib/apache2/modules/mod_${name}.so`, size);
  for (const [name, size] of [['libapr-1.so.0.5.1', 190_736], ['libaprutil-1.so.0.5.3', 186_072], ['liblua5.1.so.0.0.0', 174_000], ['libjansson.so.4.6.0', 48_000]] as const) apache.library(`${gnu}/${name}`, size);
  apache.file('/usr/share/apache2/default-site/index.html', '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n', { size: 11_104 });
  apache.file('/usr/share/apache2/icons/README', 'Public Domain Icons\n', { size: 5_108 }).file('/usr/share/apache2/error/HTTP_NOT_FOUND.html.var', 'Content-language: cs\n', { size: 13_040 });
  apache.dir('/var/cache/apache2/mod_cache_disk', { uid: 33, gid: 33 }).dir('/var/lib/apache2');
  apache.file('/var/www/html/index.html', '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n', { size: 11_104 });
  const dirs = new Rootfs('amd64', MTIME_PHP).opaque('/var/www/html');
  for (const d of ['/run/lock/apache2', '/run/apache2', '/var/log/apache2', '/var/www/html']) dirs.dir(d, { uid: 33, gid: 33 });
  const prefork = new Rootfs('amd64', MTIME_PHP).whiteout('/etc/apache2/mods-enabled/mpm_event.load').whiteout('/etc/apache2/mods-enabled/mpm_event.conf')
    .symlink('/etc/apache2/mods-enabled/mpm_prefork.load', '../mods-available/mpm_prefork.load').symlink('/etc/apache2/mods-enabled/mpm_prefork.conf', '../mods-available/mpm_prefork.conf');
  const moved = new Rootfs('amd64', MTIME_PHP).whiteout('/etc/apache2/apache2.conf').file('/etc/apache2/apache2.conf.dist', '# This is the main Apache server configuration file.  It contains the\n', { size: 7_115 })
    .whiteout('/etc/apache2/sites-enabled/000-default.conf');
  for (const c of ['charset', 'localized-error-pages', 'other-vhosts-access-log', 'security', 'serve-cgi-bin']) moved.whiteout(`/etc/apache2/conf-enabled/${c}.conf`);
  const conf = new Rootfs('amd64', MTIME_PHP).file('/etc/apache2/apache2.conf', PHP_APACHE2_CONF);
  const keys = new Rootfs('amd64', MTIME_PHP).dir('/root/.gnupg', { mode: 0o700 }).file('/root/.gnupg/pubring.gpg', '', { mode: 0o600, size: 9_815 }).file('/root/.gnupg/trustdb.gpg', '', { mode: 0o600, size: 1_200 });
  const php = new Rootfs('amd64', MTIME_PHP);
  php.binary('/usr/local/bin/php', 'php', 9_625_344).file('/usr/local/bin/php-config', '#! /bin/sh\n\nSED="/bin/sed"\nprefix="/usr/local"\nversion="5.6.18"\n', { mode: 0o755, size: 2_519 });
  php.file('/usr/local/bin/phpize', '#!/bin/sh\n\n# Variable declaration\nprefix=\'/usr/local\'\n', { mode: 0o755, size: 4_576 });
  for (const tool of ['pear', 'peardev', 'pecl']) php.file(`/usr/local/bin/${tool}`, '#!/bin/sh\n\n# first find which PHP binary to use\n', { mode: 0o755, size: 838 });
  php.library('/usr/lib/apache2/modules/libphp5.so', 28_419_424).file('/etc/apache2/mods-available/php5.load', LOAD_LINES.php5!).symlink('/etc/apache2/mods-enabled/php5.load', '../mods-available/php5.load');
  php.file('/usr/local/lib/php/PEAR.php', '<?php\n/**\n * PEAR, the PHP Extension and Application Repository\n', { size: 2_900_000 }).file('/usr/local/lib/php/build/phpize.m4', 'dnl This file becomes configure.in for self-contained extensions.\n', { size: 640_000 });
  php.file('/usr/local/include/php/main/php.h', '/*\n   +----------------------------------------------------------------------+\n   | PHP Version 5                                                        |\n', { size: 6_100_000 });
  php.file('/usr/src/php/README.md', 'The PHP Interpreter\n===================\n', { size: 80_000_000 }).file('/usr/src/php/php.ini-production', '[PHP]\n', { size: 72_581 }).file('/usr/src/php/php.ini-development', '[PHP]\n', { size: 72_890 });
  php.library(`${gnu}/libcurl.so.4.3.0`, 476_448).library(`${gnu}/libedit.so.2.0.51`, 213_000).file('/usr/local/etc/php/conf.d/.keep', '');
  const extScripts = new Rootfs('amd64', MTIME_PHP)
    .file('/usr/local/bin/docker-php-ext-configure', '#!/bin/bash\nset -e\n\next="$1"\nextDir="/usr/src/php/ext/$ext"\nif [ -z "$ext" -o ! -d "$extDir" ]; then\n\techo >&2 "usage: $0 ext-name [configure flags]"\n\techo >&2 "   ie: $0 gd --with-jpeg-dir=/usr/local/something"\n\techo >&2\n\techo >&2 \'Possible values for ext-name:\'\n\techo >&2 $(find /usr/src/php/ext -mindepth 2 -maxdepth 2 -type f -name \'config.m4\' | cut -d/ -f6 | sort)\n\texit 1\nfi\nshift\n\nset -x\ncd "$extDir"\nphpize\n./configure "$@"\n', { mode: 0o755 })
    .file('/usr/local/bin/docker-php-ext-enable', '#!/bin/sh\nset -e\n\ncd "$(php -r \'echo ini_get("extension_dir");\')"\n', { mode: 0o755, size: 1_584 })
    .file('/usr/local/bin/docker-php-ext-install', '#!/bin/bash\nset -e\n\ncd /usr/src/php/ext\n\nusage() {\n\techo "usage: $0 [-jN] ext-name [ext-name ...]"\n', { mode: 0o755, size: 1_502 });
  const foreground = new Rootfs('amd64', MTIME_PHP).file('/usr/local/bin/apache2-foreground', APACHE2_FOREGROUND, { mode: 0o755 });
  return new ImageRecipe('amd64', '2016-02-06T00:00:00Z')
    .from(base)
    .env('PHPIZE_DEPS', 'autoconf \t\tfile \t\tg++ \t\tgcc \t\tlibc-dev \t\tmake \t\tpkg-config \t\tre2c')
    .layer('/bin/sh -c apt-get update && apt-get install -y \t\t$PHPIZE_DEPS \t\tca-certificates \t\tcurl \t\tlibedit2 \t\tlibsqlite3-0 \t\tlibxml2 \t--no-install-recommends && rm -r /var/lib/apt/lists/*', deps.layer({ compressionRatio: 0.33 }))
    .env('PHP_INI_DIR', '/usr/local/etc/php')
    .layer('/bin/sh -c mkdir -p $PHP_INI_DIR/conf.d', confd.layer())
    .layer('/bin/sh -c apt-get update && apt-get install -y apache2-bin apache2.2-common --no-install-recommends && rm -rf /var/lib/apt/lists/*', apache.layer({ compressionRatio: 0.36 }))
    .layer('/bin/sh -c rm -rf /var/www/html && mkdir -p /var/lock/apache2 /var/run/apache2 /var/log/apache2 /var/www/html && chown -R www-data:www-data /var/lock/apache2 /var/run/apache2 /var/log/apache2 /var/www/html', dirs.layer())
    .layer('/bin/sh -c a2dismod mpm_event && a2enmod mpm_prefork', prefork.layer())
    .layer('/bin/sh -c mv /etc/apache2/apache2.conf /etc/apache2/apache2.conf.dist && rm /etc/apache2/conf-enabled/* /etc/apache2/sites-enabled/*', moved.layer())
    .layer(`/bin/sh -c #(nop) COPY file:${fileDigest(conf.layer())} in /etc/apache2/apache2.conf`, conf.layer())
    .env('PHP_EXTRA_BUILD_DEPS', 'apache2-dev')
    .env('PHP_EXTRA_CONFIGURE_ARGS', '--with-apxs2')
    .env('GPG_KEYS', '0BD78B5F97500D450838F95DFE857D9A90D90EC1 6E4F6AB321FDC07F2C332E3AC2BF0BC433CFC8B3')
    .layer('/bin/sh -c set -xe \t&& for key in $GPG_KEYS; do \t\tgpg --keyserver ha.pool.sks-keyservers.net --recv-keys "$key"; \tdone', keys.layer())
    .env('PHP_VERSION', '5.6.18')
    .env('PHP_FILENAME', 'php-5.6.18.tar.xz')
    .layer('/bin/sh -c buildDeps=" \t\t$PHP_EXTRA_BUILD_DEPS \t\tlibcurl4-openssl-dev \t\tlibedit-dev \t\tlibsqlite3-dev \t\tlibssl-dev \t\tlibxml2-dev \t\txz-utils \t" \t&& set -x \t&& apt-get update && apt-get install -y $buildDeps --no-install-recommends && rm -rf /var/lib/apt/lists/* \t&& curl -fSL "http://php.net/get/$PHP_FILENAME/from/this/mirror" -o "$PHP_FILENAME" \t&& echo "$PHP_SHA256 *$PHP_FILENAME" | sha256sum -c - \t&& curl -fSL "http://php.net/get/$PHP_FILENAME.asc/from/this/mirror" -o "$PHP_FILENAME.asc" \t&& gpg --verify "$PHP_FILENAME.asc" \t&& mkdir -p /usr/src/php \t&& tar -xf "$PHP_FILENAME" -C /usr/src/php --strip-components=1 \t&& rm "$PHP_FILENAME"* \t&& cd /usr/src/php \t&& ./configure \t\t--with-config-file-path="$PHP_INI_DIR" \t\t--with-config-file-scan-dir="$PHP_INI_DIR/conf.d" \t\t$PHP_EXTRA_CONFIGURE_ARGS \t\t--disable-cgi \t\t--enable-mysqlnd \t\t--with-curl \t\t--with-libedit \t\t--with-openssl \t\t--with-zlib \t&& make -j"$(nproc)" \t&& make install \t&& { find /usr/local/bin /usr/local/sbin -type f -executable -exec strip --strip-all \'{}\' + || true; } \t&& make clean \t&& apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false -o APT::AutoRemove::SuggestsImportant=false $buildDeps', php.layer({ compressionRatio: 0.22 }))
    .layer(`/bin/sh -c #(nop) COPY multi:${fileDigest(extScripts.layer())} in /usr/local/bin/`, extScripts.layer())
    .layer(`/bin/sh -c #(nop) COPY file:${fileDigest(foreground.layer())} in /usr/local/bin/`, foreground.layer())
    .workdir('/var/www/html')
    .expose('80/tcp')
    .cmd('apache2-foreground')
    .build('docker');
}

function hpaExample(): Image {
  const copied = new Rootfs('amd64', MTIME_HPA).file('/var/www/html/index.php', HPA_EXAMPLE_INDEX_PHP);
  const chmod = new Rootfs('amd64', MTIME_HPA).file('/var/www/html/index.php', HPA_EXAMPLE_INDEX_PHP, { mode: 0o755 });
  return new ImageRecipe('amd64', '2016-03-08T00:00:00Z')
    .from(phpApache())
    .layer(`/bin/sh -c #(nop) COPY file:${fileDigest(copied.layer())} in /var/www/html/index.php`, copied.layer())
    .layer('/bin/sh -c chmod a+rx index.php', chmod.layer())
    .build('docker');
}

/** The image, built once. */
export const hpaExampleImage = once(hpaExample);

/** registry.k8s.io/hpa-example. */
export const hpaExampleRepository: RegistryRepository = { path: 'hpa-example', tags: { latest: hpaExampleImage } };
