/**
 * ubuntu (docker.io/library/ubuntu) — Ubuntu 24.04 "noble": one layer of the minimal Ubuntu root file
 * system (merged /usr, the `ubuntu` user with uid 1000, dpkg status of the base packages with their noble
 * versions and t64 library names), labels `org.opencontainers.image.ref.name=ubuntu` and
 * `org.opencontainers.image.version=24.04`, `CMD ["/bin/bash"]`.
 */
import { ImageIndex, type Image } from '../../image/image.ts';
import { BOOKWORM_PACKAGES } from './debian.ts';
import { dpkgRootfs, type DpkgDistro, type DpkgPackage } from './dpkg.ts';
import { ImageRecipe, once, perArch } from './imageRecipe.ts';
import type { Arch } from './rootfs.ts';
import type { RegistryRepository } from '../registry.ts';

/** Noble's versions (and renamed t64 packages) of the Debian base set. */
const NOBLE: Record<string, [string, string?]> = {
  adduser: ['3.137ubuntu1'], apt: ['2.7.14build2'], 'base-files': ['13ubuntu10.1'], 'base-passwd': ['3.6.3build1'],
  bash: ['5.2.21-2ubuntu4'], bsdutils: ['1:2.39.3-9ubuntu6.1'], coreutils: ['9.4-3ubuntu6'], dash: ['0.5.12-6ubuntu5'],
  debconf: ['1.5.86ubuntu1'], 'debian-archive-keyring': ['2023.4ubuntu1', 'ubuntu-keyring'], debianutils: ['5.17build1'],
  diffutils: ['1:3.10-1build1'], dpkg: ['1.22.6ubuntu6.1'], e2fsprogs: ['1.47.0-2.4~exp1ubuntu4.1'], findutils: ['4.9.0-5build1'],
  'gcc-12-base': ['14-20240412-0ubuntu1', 'gcc-14-base'], gpgv: ['2.4.4-2ubuntu17'], grep: ['3.11-4build1'],
  gzip: ['1.12-1ubuntu3'], hostname: ['3.23+nmu2ubuntu2'], 'init-system-helpers': ['1.66ubuntu1'],
  'libapt-pkg6.0': ['2.7.14build2', 'libapt-pkg6.0t64'], 'libc-bin': ['2.39-0ubuntu8.3'], libc6: ['2.39-0ubuntu8.3'],
  'libdb5.3': ['5.3.28+dfsg2-7', 'libdb5.3t64'], libext2fs2: ['1.47.0-2.4~exp1ubuntu4.1', 'libext2fs2t64'],
  libgnutls30: ['3.8.3-1.1ubuntu3.2', 'libgnutls30t64'], libhogweed6: ['3.9.1-2.2build1', 'libhogweed6t64'],
  libnettle8: ['3.9.1-2.2build1', 'libnettle8t64'], libunistring2: ['1.1-2build1', 'libunistring5'],
  'libstdc++6': ['14-20240412-0ubuntu1'], 'libgcc-s1': ['14-20240412-0ubuntu1'],
  libsystemd0: ['255.4-1ubuntu8.4'], libudev1: ['255.4-1ubuntu8.4'], 'liblzma5': ['5.6.1+really5.4.5-1build0.1'],
  login: ['1:4.13+dfsg1-4ubuntu3'], passwd: ['1:4.13+dfsg1-4ubuntu3'], mawk: ['1.3.4.20240123-1build1'],
  'ncurses-base': ['6.4+20240113-1ubuntu2'], 'ncurses-bin': ['6.4+20240113-1ubuntu2'], libtinfo6: ['6.4+20240113-1ubuntu2'],
  'perl-base': ['5.38.2-3.2build2'], sed: ['4.9-2build1'], tar: ['1.35+dfsg-3build1'], 'util-linux': ['2.39.3-9ubuntu6.1'],
  mount: ['2.39.3-9ubuntu6.1'], libmount1: ['2.39.3-9ubuntu6.1'], libblkid1: ['2.39.3-9ubuntu6.1'], libuuid1: ['2.39.3-9ubuntu6.1'],
  libsmartcols1: ['2.39.3-9ubuntu6.1'], zlib1g: ['1:1.3.dfsg-3.1ubuntu2'], tzdata: ['2024a-3ubuntu1.1'],
  'usr-is-merged': ['39ubuntu1'], 'sysvinit-utils': ['3.08-6ubuntu3'], 'libpam-modules': ['1.5.3-5ubuntu5.1'],
  'libpam-modules-bin': ['1.5.3-5ubuntu5.1'], 'libpam-runtime': ['1.5.3-5ubuntu5.1'], libpam0g: ['1.5.3-5ubuntu5.1'],
};

/** The packages of ubuntu:24.04. */
export const NOBLE_PACKAGES: DpkgPackage[] = [
  ...BOOKWORM_PACKAGES.filter((p) => p.name !== 'util-linux-extra' && p.name !== 'tzdata').map((p) => {
    const [version, name] = NOBLE[p.name] ?? [p.version.replace(/(\+deb12u\d+|-\d+)$/, '$&build1')];
    return { ...p, name: name ?? p.name, version };
  }),
  { name: 'libproc2-0', version: '2:4.0.4-4ubuntu3.2', section: 'libs', priority: 'required', installedSize: 196, essential: false, description: 'library for accessing process information from /proc' },
  { name: 'procps', version: '2:4.0.4-4ubuntu3.2', section: 'admin', priority: 'important', installedSize: 1820, essential: false, description: '/proc file system utilities' },
];

/** Ubuntu 24.04.1 (noble-20241015). */
export const NOBLE_DISTRO: DpkgDistro = {
  osRelease: `PRETTY_NAME="Ubuntu 24.04.1 LTS"
NAME="Ubuntu"
VERSION_ID="24.04"
VERSION="24.04.1 LTS (Noble Numbat)"
VERSION_CODENAME=noble
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=noble
LOGO=ubuntu-logo
`,
  debianVersion: 'trixie/sid',
  issue: 'Ubuntu 24.04.1 LTS',
  packages: NOBLE_PACKAGES,
  maintainer: 'Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>',
  extraUsers: { passwd: 'ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash\n', group: 'ubuntu:x:1000:\n', home: '/home/ubuntu', uid: 1000 },
  sources: ['ubuntu.sources', 'Types: deb\nURIs: http://archive.ubuntu.com/ubuntu/\nSuites: noble noble-updates noble-backports\nComponents: main universe restricted multiverse\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n\nTypes: deb\nURIs: http://security.ubuntu.com/ubuntu/\nSuites: noble-security\nComponents: main universe restricted multiverse\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n'],
  mtime: 1728950400,
  docsSize: 0,
  zoneinfoSize: 0,
  varSize: 26_800_000,
};

function ubuntuImage(arch: Arch): Image {
  const fs = dpkgRootfs(NOBLE_DISTRO, arch, true);
  // The image's builder keeps services from starting inside containers (invoke-rc.d asks this first).
  fs.file('/usr/sbin/policy-rc.d', '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  fs.binary('/usr/bin/ps', 'ps', 154_440).binary('/usr/bin/top', 'top', 137_216).binary('/usr/bin/free', 'free', 31_000).binary('/usr/bin/kill', 'kill', 31_000);
  return new ImageRecipe(arch, '2024-10-15T00:00:00Z')
    .note('/bin/sh -c #(nop)  ARG RELEASE')
    .note('/bin/sh -c #(nop)  ARG LAUNCHPAD_BUILD_ARCH')
    .label('org.opencontainers.image.ref.name', 'ubuntu')
    .label('org.opencontainers.image.version', '24.04')
    .layer(`/bin/sh -c #(nop) ADD file:ubuntu-noble-oci-${arch}-root.tar.gz in / `, fs.layer())
    .cmd('/bin/bash')
    .build();
}

/** ubuntu:24.04 for one architecture. */
export const ubuntu = perArch(ubuntuImage);

const tag = once(() => new ImageIndex([ubuntu('amd64'), ubuntu('arm64')]));

/** docker.io/library/ubuntu. */
export const ubuntuRepository: RegistryRepository = {
  path: 'library/ubuntu',
  tags: { latest: tag, '24.04': tag, noble: tag, 'noble-20241015': tag },
};
