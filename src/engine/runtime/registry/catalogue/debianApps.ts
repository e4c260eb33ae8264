/**
 * The official images built FROM debian:bookworm-slim besides nginx, each sharing the slim base layer:
 * httpd 2.4.62 (docker.io/library/httpd: /usr/local/apache2, httpd-foreground, STOPSIGNAL SIGWINCH),
 * redis 7.4.1 (docker.io/library/redis: the `redis` user 999, /data volume, docker-entrypoint.sh, EXPOSE
 * 6379), python 3.12.8 (docker.io/library/python `3.12-slim`: /usr/local/bin/python3, pip, CMD python3) and
 * node 20.18.1 (docker.io/library/node `20-slim`: the `node` user 1000, node, npm, yarn, CMD node).
 */
import { ImageIndex, type Image } from '../../image/image.ts';
import { debianSlim } from './debian.ts';
import { DEBIAN_GROUP, DEBIAN_PASSWD } from './dpkg.ts';
import { ImageRecipe, once, perArch } from './imageRecipe.ts';
import { Rootfs, triplet, type Arch } from './rootfs.ts';
import type { RegistryRepository } from '../registry.ts';

function httpd(arch: Arch): Image {
  const mtime = 1733443200;
  const prefix = '/usr/local/apache2';
  const build = new Rootfs(arch, mtime).binary(`${prefix}/bin/httpd`, 'httpd', 2_548_064).binary(`${prefix}/bin/apachectl`, 'apachectl', 3_436)
    .binary(`${prefix}/bin/ab`, 'ab', 109_208).binary(`${prefix}/bin/htpasswd`, 'htpasswd', 64_720).binary(`${prefix}/bin/rotatelogs`, 'rotatelogs', 35_456)
    .file(`${prefix}/htdocs/index.html`, '<html><body><h1>It works!</h1></body></html>\n')
    .file(`${prefix}/conf/httpd.conf`, 'ServerRoot "/usr/local/apache2"\nListen 80\nLoadModule mpm_event_module modules/mod_mpm_event.so\nLoadModule authz_core_module modules/mod_authz_core.so\nLoadModule mime_module modules/mod_mime.so\nLoadModule log_config_module modules/mod_log_config.so\nLoadModule unixd_module modules/mod_unixd.so\nLoadModule dir_module modules/mod_dir.so\n<IfModule unixd_module>\nUser www-data\nGroup www-data\n</IfModule>\nServerAdmin you@example.com\n<Directory />\n    AllowOverride none\n    Require all denied\n</Directory>\nDocumentRoot "/usr/local/apache2/htdocs"\n<Directory "/usr/local/apache2/htdocs">\n    Options Indexes FollowSymLinks\n    AllowOverride None\n    Require all granted\n</Directory>\n<IfModule dir_module>\n    DirectoryIndex index.html\n</IfModule>\nErrorLog /proc/self/fd/2\nLogLevel warn\n<IfModule log_config_module>\n    LogFormat "%h %l %u %t \\"%r\\" %>s %b" common\n    CustomLog /proc/self/fd/1 common\n</IfModule>\nTypesConfig conf/mime.types\n', { size: 20_693 })
    .file(`${prefix}/conf/mime.types`, '# This file maps Internet media types to unique file extension(s).\ntext/html\t\t\t\t\thtml htm\ntext/css\t\t\t\t\tcss\n', { size: 60_847 })
    .dir(`${prefix}/logs`);
  for (const [m, size] of [['mod_mpm_event.so', 143_096], ['mod_authz_core.so', 51_200], ['mod_mime.so', 40_000], ['mod_log_config.so', 47_000], ['mod_unixd.so', 30_000], ['mod_dir.so', 25_000], ['mod_ssl.so', 1_284_000], ['mod_proxy.so', 400_000], ['mod_rewrite.so', 220_000], ['mod_http2.so', 700_000]] as const) {
    build.library(`${prefix}/modules/${m}`, size);
  }
  for (const [name, size] of [['libapr-1.so.0.7.2', 290_000], ['libaprutil-1.so.0.6.3', 240_000], ['libssl.so.3', 684_912], ['libcrypto.so.3', 4_709_656], ['libxml2.so.2.9.14', 1_961_224], ['libicudata.so.72.1', 30_797_688], ['libicuuc.so.72.1', 2_080_304], ['libnghttp2.so.14.24.1', 178_232], ['liblua5.2.so.0.0.0', 240_000], ['libcurl.so.4.8.0', 721_888], ['libjansson.so.4.14.0', 60_000], ['libbrotlienc.so.1.0.9', 1_500_000]] as const) {
    build.library(`/usr/lib/${triplet(arch)}/${name}`, size);
  }
  build.file(`${prefix}/build/config_vars.mk`, 'exp_libexecdir = /usr/local/apache2/modules\n', { size: 4_300_000 }).file(`${prefix}/include/httpd.h`, '/* httpd.h */\n', { size: 9_000_000 });
  const foreground = new Rootfs(arch, mtime).file('/usr/local/bin/httpd-foreground', '#!/bin/sh\nset -e\n\n# Apache gets grumpy about PID files pre-existing\nrm -f /usr/local/apache2/logs/httpd.pid\n\nexec httpd -DFOREGROUND "$@"\n', { mode: 0o755 });
  return new ImageRecipe(arch, '2024-12-06T00:00:00Z').from(debianSlim(arch))
    .env('HTTPD_PREFIX', prefix).env('PATH', `${prefix}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`)
    .run(`mkdir -p "$HTTPD_PREFIX"     && chown www-data:www-data "$HTTPD_PREFIX"`, new Rootfs(arch, mtime).dir(prefix, { uid: 33, gid: 33 }).layer())
    .workdir(prefix)
    .env('HTTPD_VERSION', '2.4.62').env('HTTPD_SHA256', '674188e7bf44ced82da8db522da946849e22080d73d16c93f7f4df89e25729ec').env('HTTPD_PATCHES', '')
    .run('set -eux;     savedAptMark="$(apt-mark showmanual)";     apt-get update;     apt-get install -y --no-install-recommends   bzip2 ca-certificates dirmngr dpkg-dev gcc gnupg libapr1-dev libaprutil1-dev libbrotli-dev libcurl4-openssl-dev libjansson-dev liblua5.2-dev libnghttp2-dev libpcre2-dev libssl-dev libxml2-dev make wget zlib1g-dev   ;     rm -r /var/lib/apt/lists/*;     ./configure --build="$gnuArch" --prefix="$HTTPD_PREFIX" --enable-mods-shared=reallyall --enable-mpms-shared=all --enable-pie CFLAGS="-pipe $CFLAGS";     make -j "$(nproc)";     make install;     httpd -v', build.layer({ compressionRatio: 0.38 }))
    .stopSignal('SIGWINCH')
    .copy('httpd-foreground /usr/local/bin/', foreground.layer())
    .expose('80/tcp')
    .cmd('httpd-foreground')
    .build();
}

const REDIS_ENTRYPOINT = `#!/bin/sh
set -e

# first arg is \`-f\` or \`--some-option\`
# or first arg is \`something.conf\`
if [ "\${1#-}" != "$1" ] || [ "\${1%.conf}" != "$1" ]; then
\tset -- redis-server "$@"
fi

# allow the container to be started with \`--user\`
if [ "$1" = 'redis-server' -a "$(id -u)" = '0' ]; then
\tfind . \\! -user redis -exec chown redis '{}' +
\texec gosu redis "$0" "$@"
fi

# set an appropriate umask (if one isn't set already)
# - https://github.com/docker-library/redis/issues/305
# - https://github.com/redis/redis/blob/bb875603fb7ff3f9d19aad906bd45d7db98d9a39/utils/systemd-redis_server.service#L37
um="$(umask)"
if [ "$um" = '0022' ]; then
\tumask 0077
fi

exec "$@"
`;

function redis(arch: Arch): Image {
  const mtime = 1733184000;
  const users = new Rootfs(arch, mtime)
    .file('/etc/passwd', `${DEBIAN_PASSWD}redis:x:999:999::/home/redis:/bin/sh\n`).file('/etc/group', `${DEBIAN_GROUP}redis:x:999:\n`);
  const tz = new Rootfs(arch, mtime).file('/usr/share/zoneinfo/tzdata.zi', '# version 2024a\n', { size: 3_300_000 }).file('/var/lib/dpkg/status', 'Package: tzdata\nStatus: install ok installed\n', { size: 71_000 });
  const gosu = new Rootfs(arch, mtime).binary('/usr/local/bin/gosu', 'gosu', 2_384_032);
  const server = new Rootfs(arch, mtime).binary('/usr/local/bin/redis-server', 'redis-server', 15_463_264).binary('/usr/local/bin/redis-cli', 'redis-cli', 7_662_480)
    .binary('/usr/local/bin/redis-benchmark', 'redis-benchmark', 7_234_560).symlink('/usr/local/bin/redis-check-aof', 'redis-server')
    .symlink('/usr/local/bin/redis-check-rdb', 'redis-server').symlink('/usr/local/bin/redis-sentinel', 'redis-server');
  return new ImageRecipe(arch, '2024-12-03T00:00:00Z').from(debianSlim(arch))
    .run('set -eux;     groupadd -r -g 999 redis;     useradd -r -g redis -u 999 redis', users.layer())
    .run('set -eux;     apt-get update;     apt-get install -y --no-install-recommends         tzdata     ;     rm -rf /var/lib/apt/lists/*', tz.layer())
    .env('GOSU_VERSION', '1.17')
    .run('set -eux;     savedAptMark="$(apt-mark showmanual)";     apt-get update;     apt-get install -y --no-install-recommends ca-certificates gnupg wget;     rm -rf /var/lib/apt/lists/*;     dpkgArch="$(dpkg --print-architecture | awk -F- \'{ print $NF }\')";     wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch";     chmod +x /usr/local/bin/gosu;     gosu --version;     gosu nobody true', gosu.layer())
    .env('REDIS_VERSION', '7.4.1').env('REDIS_DOWNLOAD_URL', 'http://download.redis.io/releases/redis-7.4.1.tar.gz').env('REDIS_DOWNLOAD_SHA', 'bc34f8be6e6efc3e7d8dbd4a5a9c4fa97ed3d29a2fca7f05bfb4e3a0c27a9d33')
    .run('set -eux;     savedAptMark="$(apt-mark showmanual)";     apt-get update;     apt-get install -y --no-install-recommends ca-certificates wget dpkg-dev gcc libc6-dev libssl-dev make;     wget -O redis.tar.gz "$REDIS_DOWNLOAD_URL";     echo "$REDIS_DOWNLOAD_SHA *redis.tar.gz" | sha256sum -c -;     mkdir -p /usr/src/redis;     tar -xzf redis.tar.gz -C /usr/src/redis --strip-components=1;     export BUILD_TLS=yes;     make -C /usr/src/redis -j "$(nproc)" all;     make -C /usr/src/redis install;     rm -r /usr/src/redis;     redis-cli --version;     redis-server --version', server.layer({ compressionRatio: 0.3 }))
    .run('mkdir /data && chown redis:redis /data', new Rootfs(arch, mtime).dir('/data', { uid: 999, gid: 999 }).layer())
    .volume('/data')
    .workdir('/data')
    .copy('docker-entrypoint.sh /usr/local/bin/', new Rootfs(arch, mtime).file('/usr/local/bin/docker-entrypoint.sh', REDIS_ENTRYPOINT, { mode: 0o755 }).layer())
    .entrypoint('docker-entrypoint.sh')
    .expose('6379/tcp')
    .cmd('redis-server')
    .build();
}

function python(arch: Arch): Image {
  const mtime = 1733875200;
  const deps = new Rootfs(arch, mtime).file('/etc/ssl/certs/ca-certificates.crt', '-----BEGIN CERTIFICATE-----\n', { size: 216_766 })
    .file('/usr/share/zoneinfo/tzdata.zi', '# version 2024a\n', { size: 3_300_000 }).file('/etc/protocols', '# Internet (IP) protocols\nip\t0\tIP\ntcp\t6\tTCP\nudp\t17\tUDP\n', { size: 2_932 })
    .file('/etc/services', '# Network services, Internet style\nhttp\t\t80/tcp\t\twww\n', { size: 12_813 })
    .library(`/usr/lib/${triplet(arch)}/libssl.so.3`, 684_912).library(`/usr/lib/${triplet(arch)}/libcrypto.so.3`, 4_709_656)
    .library(`/usr/lib/${triplet(arch)}/libsqlite3.so.0.8.6`, 1_454_000).library(`/usr/lib/${triplet(arch)}/libncursesw.so.6.4`, 231_000);
  const py = new Rootfs(arch, mtime).binary('/usr/local/bin/python3.12', 'python3', 17_184).library('/usr/local/lib/libpython3.12.so.1.0', 25_613_096)
    .file('/usr/local/lib/python3.12/os.py', '"""OS routines for NT or Posix depending on what system we\'re on."""\n', { size: 39_786 })
    .file('/usr/local/lib/python3.12/site-packages/pip/__init__.py', 'from typing import List, Optional\n\n__version__ = "24.3.1"\n', { size: 357 })
    .file('/usr/local/lib/python3.12/stdlib.zip', '', { size: 13_400_000 }).file('/usr/local/lib/python3.12/site-packages/pip.whl', '', { size: 12_100_000 })
    .symlink('/usr/local/bin/python3', 'python3.12').file('/usr/local/bin/pip3', '#!/usr/local/bin/python3.12\nimport sys\nfrom pip._internal.cli.main import main\nif __name__ == "__main__":\n    sys.exit(main())\n', { mode: 0o755 })
    .file('/usr/local/bin/pip3.12', '#!/usr/local/bin/python3.12\nimport sys\nfrom pip._internal.cli.main import main\nif __name__ == "__main__":\n    sys.exit(main())\n', { mode: 0o755 })
    .symlink('/usr/local/bin/pydoc3', 'pydoc3.12').file('/usr/local/bin/pydoc3.12', '#!/usr/local/bin/python3.12\nimport pydoc\nif __name__ == \'__main__\':\n    pydoc.cli()\n', { mode: 0o755 });
  const links = new Rootfs(arch, mtime);
  for (const [src, dst] of [['idle3', 'idle'], ['pip3', 'pip'], ['pydoc3', 'pydoc'], ['python3', 'python'], ['python3-config', 'python-config']]) links.symlink(`/usr/local/bin/${dst}`, src!);
  return new ImageRecipe(arch, '2024-12-11T00:00:00Z').from(debianSlim(arch))
    .env('PATH', '/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
    .env('LANG', 'C.UTF-8')
    .run('set -eux;     apt-get update;     apt-get install -y --no-install-recommends         ca-certificates         netbase         tzdata     ;     rm -rf /var/lib/apt/lists/*', deps.layer())
    .env('GPG_KEY', '7169605F62C751356D054A26A821E680E5FA6305').env('PYTHON_VERSION', '3.12.8').env('PYTHON_SHA256', 'c909157bb25ec114e5869124cc2a9c4a4d4c1e957ca4ff553f1edc692101154e')
    .run('set -eux;     savedAptMark="$(apt-mark showmanual)";     apt-get update;     apt-get install -y --no-install-recommends         dpkg-dev gcc gnupg libbluetooth-dev libbz2-dev libc6-dev libdb-dev libffi-dev libgdbm-dev liblzma-dev libncursesw5-dev libreadline-dev libsqlite3-dev libssl-dev make tk-dev uuid-dev wget xz-utils zlib1g-dev     ;     ./configure --build="$gnuArch" --enable-loadable-sqlite-extensions --enable-optimizations --enable-option-checking=fatal --enable-shared --with-lto --with-ensurepip     ;     make -j "$nproc";     make install;     python3 --version;     pip3 --version', py.layer({ compressionRatio: 0.3 }))
    .run('set -eux;     for src in idle3 pip3 pydoc3 python3 python3-config; do         dst="$(echo "$src" | tr -d 3)";         [ -s "/usr/local/bin/$src" ];         [ ! -e "/usr/local/bin/$dst" ];         ln -svT "$src" "/usr/local/bin/$dst";     done', links.layer())
    .cmd('python3')
    .build();
}

const NODE_ENTRYPOINT = `#!/bin/sh
set -e

# Run command with node if the first argument contains a "-" or is not a system command. The last
# part inside the "{}" is a workaround for the following bug in ash/dash:
# https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=874264
if [ "\${1#-}" != "\${1}" ] || [ -z "$(command -v "\${1}")" ] || { [ -f "\${1}" ] && ! [ -x "\${1}" ]; }; then
  set -- node "$@"
fi

exec "$@"
`;

function node(arch: Arch): Image {
  const mtime = 1732838400;
  const user = new Rootfs(arch, mtime).file('/etc/passwd', `${DEBIAN_PASSWD}node:x:1000:1000::/home/node:/bin/bash\n`)
    .file('/etc/group', `${DEBIAN_GROUP}node:x:1000:\n`).dir('/home/node', { uid: 1000, gid: 1000 });
  const nodeFs = new Rootfs(arch, mtime).binary('/usr/local/bin/node', 'node', 96_414_352)
    .file('/usr/local/lib/node_modules/npm/package.json', '{\n  "version": "10.8.2",\n  "name": "npm"\n}\n').file('/usr/local/lib/node_modules/npm/lib/npm.js', '', { size: 9_600_000 })
    .file('/usr/local/lib/node_modules/corepack/package.json', '{\n  "name": "corepack",\n  "version": "0.29.4"\n}\n').file('/usr/local/lib/node_modules/corepack/dist/lib/corepack.cjs', '', { size: 1_900_000 })
    .symlink('/usr/local/bin/npm', '../lib/node_modules/npm/bin/npm-cli.js').symlink('/usr/local/bin/npx', '../lib/node_modules/npm/bin/npx-cli.js')
    .symlink('/usr/local/bin/corepack', '../lib/node_modules/corepack/dist/corepack.js').symlink('/usr/local/bin/nodejs', 'node')
    .file('/usr/local/include/node/node.h', '', { size: 8_000_000 });
  const yarn = new Rootfs(arch, mtime).file('/opt/yarn-v1.22.22/lib/cli.js', '', { size: 5_300_000 }).file('/opt/yarn-v1.22.22/package.json', '{\n  "name": "yarn",\n  "version": "1.22.22"\n}\n')
    .symlink('/usr/local/bin/yarn', '/opt/yarn-v1.22.22/bin/yarn').symlink('/usr/local/bin/yarnpkg', '/opt/yarn-v1.22.22/bin/yarnpkg');
  return new ImageRecipe(arch, '2024-11-29T00:00:00Z').from(debianSlim(arch))
    .run('groupadd --gid 1000 node   && useradd --uid 1000 --gid node --shell /bin/bash --create-home node', user.layer())
    .env('NODE_VERSION', '20.18.1')
    .run('ARCH= && dpkgArch="$(dpkg --print-architecture)"     && set -ex     && apt-get update && apt-get install -y ca-certificates curl wget gnupg dirmngr xz-utils libatomic1 --no-install-recommends     && curl -fsSLO --compressed "https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH.tar.xz"     && tar -xJf "node-v$NODE_VERSION-linux-$ARCH.tar.xz" -C /usr/local --strip-components=1 --no-same-owner     && ln -s /usr/local/bin/node /usr/local/bin/nodejs     && node --version     && npm --version', nodeFs.layer({ compressionRatio: 0.33 }))
    .env('YARN_VERSION', '1.22.22')
    .run('set -ex   && savedAptMark="$(apt-mark showmanual)"   && apt-get update && apt-get install -y ca-certificates curl wget gnupg dirmngr --no-install-recommends   && curl -fsSLO --compressed "https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz"   && mkdir -p /opt   && tar -xzf yarn-v$YARN_VERSION.tar.gz -C /opt/   && ln -s /opt/yarn-v$YARN_VERSION/bin/yarn /usr/local/bin/yarn   && ln -s /opt/yarn-v$YARN_VERSION/bin/yarnpkg /usr/local/bin/yarnpkg   && yarn --version', yarn.layer())
    .copy('docker-entrypoint.sh /usr/local/bin/', new Rootfs(arch, mtime).file('/usr/local/bin/docker-entrypoint.sh', NODE_ENTRYPOINT, { mode: 0o755 }).layer())
    .entrypoint('docker-entrypoint.sh')
    .cmd('node')
    .build();
}

/** httpd:2.4 for one architecture. */
export const httpdImage = perArch(httpd);
/** redis:7.4 for one architecture. */
export const redisImage = perArch(redis);
/** python:3.12-slim for one architecture. */
export const pythonImage = perArch(python);
/** node:20-slim for one architecture. */
export const nodeImage = perArch(node);

function multi(image: (arch: Arch) => Image): () => ImageIndex {
  return once(() => new ImageIndex([image('amd64'), image('arm64')]));
}
const httpdTag = multi(httpdImage);
const redisTag = multi(redisImage);
const pythonTag = multi(pythonImage);
const nodeTag = multi(nodeImage);

/** docker.io/library/httpd. */
export const httpdRepository: RegistryRepository = { path: 'library/httpd', tags: { latest: httpdTag, '2': httpdTag, '2.4': httpdTag, '2.4.62': httpdTag, bookworm: httpdTag } };
/** docker.io/library/redis. */
export const redisRepository: RegistryRepository = { path: 'library/redis', tags: { latest: redisTag, '7': redisTag, '7.4': redisTag, '7.4.1': redisTag, bookworm: redisTag } };
/** docker.io/library/python (slim variants). */
export const pythonRepository: RegistryRepository = { path: 'library/python', tags: { '3.12-slim': pythonTag, '3.12.8-slim': pythonTag, '3.12-slim-bookworm': pythonTag, slim: pythonTag, '3-slim': pythonTag } };
/** docker.io/library/node (slim variants). */
export const nodeRepository: RegistryRepository = { path: 'library/node', tags: { '20-slim': nodeTag, '20.18.1-slim': nodeTag, '20-bookworm-slim': nodeTag, 'lts-slim': nodeTag, 'iron-slim': nodeTag } };
