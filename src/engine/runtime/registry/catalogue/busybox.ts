/**
 * busybox (docker.io/library/busybox) — the official image's default (glibc) variant: one layer holding
 * `/bin/busybox` and one hardlink to it per applet (the applet list of `busybox --list` in 1.36.1), glibc's
 * shared objects, buildroot's `/etc/passwd`, `/etc/group` and `/etc/shadow`. `CMD ["sh"]`.
 * `buildBusybox` also makes older versions (vish/stress is built on one).
 */
import { ImageIndex, type Image } from '../../image/image.ts';
import { ImageRecipe, once, perArch } from './imageRecipe.ts';
import { Rootfs, type Arch } from './rootfs.ts';
import type { RegistryRepository } from '../registry.ts';

/** The applets of the official busybox:1.36.1 image, one hardlink each in /bin. */
export const BUSYBOX_APPLETS = `[ [[ acpid add-shell addgroup adduser adjtimex arch arp arping ascii ash awk base32 base64 basename bc
beep blkdiscard blkid blockdev bootchartd brctl bunzip2 bzcat bzip2 cal cat chat chattr chgrp chmod chown chpasswd chpst
chroot chrt chvt cksum clear cmp comm conspy cp cpio crc32 crond crontab cryptpw cttyhack cut date dc dd deallocvt delgroup
deluser depmod devmem df dhcprelay diff dirname dmesg dnsd dnsdomainname dos2unix dpkg dpkg-deb du dumpkmap dumpleases echo
ed egrep eject env envdir envuidgid ether-wake expand expr factor fakeidentd fallocate false fatattr fbset fbsplash fdflush
fdformat fdisk fgconsole fgrep find findfs flock fold free freeramdisk fsck fsck.minix fsfreeze fstrim fsync ftpd ftpget
ftpput fuser getfattr getopt getty grep groups gunzip gzip halt hd hdparm head hexdump hexedit hostid hostname httpd hush
hwclock i2cdetect i2cdump i2cget i2cset i2ctransfer id ifconfig ifdown ifenslave ifplugd ifup inetd init insmod install
ionice iostat ip ipaddr ipcalc ipcrm ipcs iplink ipneigh iproute iprule iptunnel kbd_mode kill killall killall5 klogd last
less link linux32 linux64 linuxrc ln loadfont loadkmap logger login logname logread losetup lpd lpq lpr ls lsattr lsmod lsof
lspci lsscsi lsusb lzcat lzma lzop makedevs makemime man md5sum mdev mesg microcom mim mkdir mkdosfs mke2fs mkfifo mkfs.ext2
mkfs.minix mkfs.vfat mknod mkpasswd mkswap mktemp modinfo modprobe more mount mountpoint mpstat mt mv nameif nanddump
nandwrite nbd-client nc netstat nice nl nmeter nohup nologin nproc nsenter nslookup ntpd nuke od openvt partprobe passwd
paste patch pgrep pidof ping ping6 pipe_progress pivot_root pkill pmap popmaildir poweroff powertop printenv printf ps pscan
pstree pwd pwdx raidautorun rdate rdev readahead readlink readprofile realpath reboot reformime remove-shell renice reset
resize resume rev rm rmdir rmmod route rpm rpm2cpio rtcwake run-init run-parts runlevel runsv runsvdir rx script
scriptreplay sed seedrng sendmail seq setarch setconsole setfattr setfont setkeycodes setlogcons setpriv setserial setsid
setuidgid sh sha1sum sha256sum sha3sum sha512sum showkey shred shuf slattach sleep smemcap softlimit sort split ssl_client
start-stop-daemon stat strings stty su sulogin sum sv svc svlogd svok swapoff swapon switch_root sync sysctl syslogd tac
tail tar taskset tc tcpsvd tee telnet telnetd test tftp tftpd time timeout top touch tr traceroute traceroute6 tree true
truncate ts tsort tty ttysize tunctl ubiattach ubidetach ubimkvol ubirename ubirmvol ubirsvol ubiupdatevol udhcpc udhcpc6
udhcpd udpsvd uevent umount uname unexpand uniq unix2dos unlink unlzma unshare unxz unzip uptime users usleep uudecode
uuencode vconfig vi vlock volname w wall watch watchdog wc wget which who whoami whois xargs xxd xz xzcat yes zcat zcip`
  .split(/\s+/)
  .filter(Boolean);

/** buildroot's /etc/passwd, as the busybox image ships it. */
export const BUSYBOX_PASSWD = `root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
`;

/** buildroot's /etc/group, as the busybox image ships it. */
export const BUSYBOX_GROUP = `root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
kmem:x:9:
wheel:x:10:root
cdrom:x:11:
dialout:x:18:
floppy:x:19:
video:x:28:
audio:x:29:
tape:x:32:
www-data:x:33:
operator:x:37:
utmp:x:43:
plugdev:x:46:
staff:x:50:
lock:x:54:
netdev:x:82:
users:x:100:
nogroup:x:65534:
`;

/** A busybox image: `version`, its binary's size, the build time (seconds) and applets. */
export function buildBusybox(arch: Arch, version: string, binarySize: number, mtime: number, applets: readonly string[] = BUSYBOX_APPLETS): Image {
  const fs = new Rootfs(arch, mtime);
  const lib = '/lib';
  fs.binary('/bin/busybox', 'busybox', binarySize);
  for (const applet of applets) fs.hardlink(`/bin/${applet}`, '/bin/busybox');
  fs.dir('/dev').dir('/home').dir('/root', { mode: 0o700 }).dir('/tmp', { mode: 0o1777 }).dir('/usr/sbin').dir('/var/spool/mail').dir('/var/www');
  fs.file('/etc/passwd', BUSYBOX_PASSWD).file('/etc/group', BUSYBOX_GROUP);
  fs.file('/etc/shadow', 'root:*:10933:0:99999:7:::\ndaemon:*:10933:0:99999:7:::\nbin:*:10933:0:99999:7:::\nsys:*:10933:0:99999:7:::\nsync:*:10933:0:99999:7:::\nmail:*:10933:0:99999:7:::\nwww-data:*:10933:0:99999:7:::\noperator:*:10933:0:99999:7:::\nnobody:*:10933:0:99999:7:::\n', { mode: 0o640 });
  fs.file('/etc/localtime', 'TZif2\n', { size: 114 });
  fs.file('/etc/nsswitch.conf', 'hosts:\t\tfiles dns\nnetworks:\tfiles\npasswd:\t\tfiles\ngroup:\t\tfiles\nshadow:\t\tfiles\n');
  for (const d of ['if-down.d', 'if-post-down.d', 'if-pre-up.d', 'if-up.d']) fs.dir(`/etc/network/${d}`);
  if (arch === 'amd64') {
    fs.symlink('/lib64', 'lib');
    fs.library(`${lib}/ld-linux-x86-64.so.2`, 236_616);
  } else {
    fs.library(`${lib}/ld-linux-aarch64.so.1`, 201_912);
  }
  fs.library(`${lib}/libc.so.6`, 2_125_328).library(`${lib}/libm.so.6`, 907_784).library(`${lib}/libresolv.so.2`, 68_552);
  fs.library(`${lib}/libnss_files.so.2`, 14_376).library(`${lib}/libnss_dns.so.2`, 14_376).library(`${lib}/libpthread.so.0`, 14_480);
  const created = new Date(mtime * 1000).toISOString().replace('.000Z', 'Z');
  return new ImageRecipe(arch, created)
    .layer(`BusyBox ${version} (glibc), Debian 12`, fs.layer({ compressionRatio: 0.45 }))
    .cmd('sh')
    .build();
}

/** busybox:1.36.1 for one architecture. */
export const busybox = perArch((arch) => buildBusybox(arch, '1.36.1', 1_131_336, 1727136000));

const tag = once(() => new ImageIndex([busybox('amd64'), busybox('arm64')]));

/** docker.io/library/busybox. */
export const busyboxRepository: RegistryRepository = {
  path: 'library/busybox',
  tags: { latest: tag, '1.36.1': tag, '1.36': tag, '1': tag, stable: tag, '1.36.1-glibc': tag },
};
