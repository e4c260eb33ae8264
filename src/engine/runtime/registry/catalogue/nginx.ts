/**
 * nginx (docker.io/library/nginx) — mainline 1.27.3 as nginx/docker-nginx builds it: on debian:bookworm-slim
 * (`nginx:1.27`, `latest`) one layer installs the nginx packages (binary, modules, njs, curl, gettext's
 * envsubst) and adds the `nginx` user (uid 101), then five COPY layers add docker-entrypoint.sh and the
 * /docker-entrypoint.d scripts; on alpine:3.20 (`nginx:alpine`) the same with apk packages, whose database
 * the install layer rewrites. Both: ENTRYPOINT ["/docker-entrypoint.sh"], EXPOSE 80, STOPSIGNAL SIGQUIT,
 * CMD ["nginx" "-g" "daemon off;"].
 */
import { ImageIndex, type Image } from '../../image/image.ts';
import { ALPINE_3_20, alpine, alpineRootfs } from './alpine.ts';
import { installApk } from './apk.ts';
import { BOOKWORM_PACKAGES, debianSlim } from './debian.ts';
import { DEBIAN_GROUP, DEBIAN_PASSWD, dpkgStatus, dpkgTable } from './dpkg.ts';
import { ImageRecipe, once, perArch } from './imageRecipe.ts';
import { Rootfs, triplet, type Arch } from './rootfs.ts';
import {
  NGINX_50X_HTML,
  NGINX_CONF,
  NGINX_DEFAULT_CONF,
  NGINX_ENTRYPOINT,
  NGINX_ENVSUBST_SCRIPT,
  NGINX_INDEX_HTML,
  NGINX_IPV6_SCRIPT,
  NGINX_MIME_TYPES,
  NGINX_RESOLVERS_SCRIPT,
  NGINX_TUNE_SCRIPT,
} from './nginxFiles.ts';
import type { RegistryRepository } from '../registry.ts';

const VERSION = '1.27.3';
const CREATED = '2024-11-26T18:42:08Z';
const MTIME = 1732646528;

const NGINX_PACKAGES = dpkgTable(`
nginx|1.27.3-1~bookworm|httpd|optional|3462|no|high performance web server
nginx-module-geoip|1.27.3-1~bookworm|httpd|optional|67|no|nginx GeoIP dynamic modules
nginx-module-image-filter|1.27.3-1~bookworm|httpd|optional|52|no|nginx image filter dynamic module
nginx-module-njs|1.27.3+0.8.7-1~bookworm|httpd|optional|5521|no|nginx njs dynamic modules
nginx-module-xslt|1.27.3-1~bookworm|httpd|optional|47|no|nginx xslt dynamic module
gettext-base|0.21-12|utils|standard|637|no|GNU Internationalization utilities for the base system
curl|7.88.1-10+deb12u8|web|optional|500|no|command line tool for transferring data with URL syntax
libcurl4|7.88.1-10+deb12u8|libs|optional|1002|no|easy-to-use client-side URL transfer library (OpenSSL flavour)
libssl3|3.0.15-1~deb12u1|libs|optional|6380|no|Secure Sockets Layer toolkit - shared libraries
ca-certificates|20230311|misc|optional|405|no|Common CA certificates
libgd3|2.3.3-9|libs|optional|458|no|GD Graphics Library
libxml2|2.9.14+dfsg-1.3~deb12u1|libs|optional|2059|no|GNOME XML library
libxslt1.1|1.1.35-1|libs|optional|498|no|XSLT 1.0 processing library - runtime library
libgeoip1|1.6.12-10|libs|optional|239|no|non-DNS IP-to-country resolver library
`);

/** The files both variants share: configuration, pages, log directory and its links to the container's output. */
function nginxCommon(fs: Rootfs, uid: number): void {
  fs.file('/etc/nginx/nginx.conf', NGINX_CONF).file('/etc/nginx/conf.d/default.conf', NGINX_DEFAULT_CONF).file('/etc/nginx/mime.types', NGINX_MIME_TYPES);
  fs.file('/etc/nginx/fastcgi_params', 'fastcgi_param  QUERY_STRING       $query_string;\nfastcgi_param  REQUEST_METHOD     $request_method;\n', { size: 1007 });
  fs.file('/etc/nginx/scgi_params', 'scgi_param  REQUEST_METHOD     $request_method;\n', { size: 636 }).file('/etc/nginx/uwsgi_params', 'uwsgi_param  QUERY_STRING       $query_string;\n', { size: 664 });
  fs.symlink('/etc/nginx/modules', '/usr/lib/nginx/modules');
  fs.file('/usr/share/nginx/html/index.html', NGINX_INDEX_HTML).file('/usr/share/nginx/html/50x.html', NGINX_50X_HTML);
  fs.dir('/var/cache/nginx', { uid, gid: 0 }).dir('/var/log/nginx');
  fs.symlink('/var/log/nginx/access.log', '/dev/stdout').symlink('/var/log/nginx/error.log', '/dev/stderr');
  fs.dir('/docker-entrypoint.d');
}

function nginxDebian(arch: Arch): Image {
  const fs = new Rootfs(arch, MTIME);
  const lib = `/usr/lib/${triplet(arch)}`;
  fs.binary('/usr/sbin/nginx', 'nginx', 1_534_744).binary('/usr/sbin/nginx-debug', 'nginx', 1_601_232);
  for (const [m, size] of [['ngx_http_geoip_module.so', 31_192], ['ngx_http_image_filter_module.so', 31_264], ['ngx_http_js_module.so', 2_820_072], ['ngx_http_xslt_filter_module.so', 27_112], ['ngx_stream_geoip_module.so', 22_944], ['ngx_stream_js_module.so', 2_783_176]] as const) {
    fs.library(`/usr/lib/nginx/modules/${m}`, size);
  }
  fs.binary('/usr/bin/curl', 'curl', 280_592).binary('/usr/bin/envsubst', 'envsubst', 39_288).binary('/usr/bin/gettext', 'gettext', 35_192);
  for (const [name, size] of [['libcurl.so.4.8.0', 721_888], ['libssl.so.3', 684_912], ['libcrypto.so.3', 4_709_656], ['libgd.so.3.0.11', 409_160], ['libxml2.so.2.9.14', 1_961_224], ['libxslt.so.1.1.35', 285_808], ['libexslt.so.0.8.20', 88_000], ['libGeoIP.so.1.6.12', 142_160], ['libnghttp2.so.14.24.1', 178_232], ['librtmp.so.1', 116_656], ['libssh2.so.1.0.1', 272_520], ['libpsl.so.5.3.4', 71_272], ['libldap-2.5.so.0.1.11', 346_744], ['libkrb5.so.3.3', 884_264], ['libpng16.so.16.39.0', 223_768], ['libjpeg.so.62.3.0', 411_736], ['libtiff.so.6.0.0', 570_480], ['libwebp.so.7.1.5', 474_512], ['libfreetype.so.6.18.3', 821_888], ['libfontconfig.so.1.12.0', 301_384], ['libX11.so.6.4.0', 1_356_256], ['libicuuc.so.72.1', 2_080_304], ['libicudata.so.72.1', 30_797_688], ['libicui18n.so.72.1', 3_408_688], ['libheif.so.1.15.1', 1_038_168], ['libaom.so.3.6.0', 4_852_928], ['libdav1d.so.6.6.0', 1_844_320], ['libde265.so.0.1.1', 676_736], ['libx265.so.199', 14_066_880], ['libavif.so.15.0.1', 187_304]] as const) {
    fs.library(`${lib}/${name}`, size);
  }
  fs.file('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '', { size: 757_076 }).file('/usr/share/GeoIP/GeoIP.dat', '', { size: 1_342_096 });
  fs.file('/etc/ssl/certs/ca-certificates.crt', '-----BEGIN CERTIFICATE-----\n', { size: 216_766 });
  fs.file('/usr/share/mime/packages/freedesktop.org.xml', '<?xml version="1.0"?>\n', { size: 2_668_408 });
  fs.file('/var/lib/dpkg/status', dpkgStatus([...BOOKWORM_PACKAGES, ...NGINX_PACKAGES], arch, 'Debian Developers <debian-devel@lists.debian.org>'));
  fs.file('/etc/passwd', `${DEBIAN_PASSWD}nginx:x:101:101:nginx user:/nonexistent:/bin/false\n`).file('/etc/group', `${DEBIAN_GROUP}nginx:x:101:\n`);
  fs.file('/etc/apt/sources.list.d/nginx.list', '', { size: 0 });
  nginxCommon(fs, 101);
  return withEntrypoint(new ImageRecipe(arch, CREATED).from(debianSlim(arch)), 'bookworm')
    .run(`set -x     && groupadd --system --gid 101 nginx     && useradd --system --gid nginx --no-create-home --home /nonexistent --comment "nginx user" --shell /bin/false --uid 101 nginx     && apt-get update     && apt-get install --no-install-recommends --no-install-suggests -y gnupg1 ca-certificates     && apt-get install --no-install-recommends --no-install-suggests -y $nginxPackages gettext-base curl     && apt-get remove --purge --auto-remove -y && rm -rf /var/lib/apt/lists/* /etc/apt/sources.list.d/nginx.list     && ln -sf /dev/stdout /var/log/nginx/access.log     && ln -sf /dev/stderr /var/log/nginx/error.log     && mkdir /docker-entrypoint.d`, fs.layer({ compressionRatio: 0.42 }))
    .at(CREATED)
    .copy('docker-entrypoint.sh /', entrypointLayer(arch))
    .copy('10-listen-on-ipv6-by-default.sh /docker-entrypoint.d', scriptLayer(arch, '10-listen-on-ipv6-by-default.sh', NGINX_IPV6_SCRIPT))
    .copy('15-local-resolvers.envsh /docker-entrypoint.d', scriptLayer(arch, '15-local-resolvers.envsh', NGINX_RESOLVERS_SCRIPT))
    .copy('20-envsubst-on-templates.sh /docker-entrypoint.d', scriptLayer(arch, '20-envsubst-on-templates.sh', NGINX_ENVSUBST_SCRIPT))
    .copy('30-tune-worker-processes.sh /docker-entrypoint.d', scriptLayer(arch, '30-tune-worker-processes.sh', NGINX_TUNE_SCRIPT))
    .entrypoint('/docker-entrypoint.sh')
    .expose('80/tcp')
    .stopSignal('SIGQUIT')
    .cmd('nginx', '-g', 'daemon off;')
    .build();
}

function nginxAlpine(arch: Arch): Image {
  const fs = new Rootfs(arch, MTIME);
  const base = alpineRootfs(ALPINE_3_20, arch);
  const db = base.list().find((e) => e.path === '/lib/apk/db/installed')!.data!;
  const scratch = new Rootfs(arch, MTIME);
  const added = installApk(scratch, [
    { name: 'nginx', version: `${VERSION}-r1`, description: 'High performance web server', url: 'https://nginx.org/', license: 'BSD-2-Clause', files: [{ bin: '/usr/sbin/nginx', size: 1_334_056 }, { bin: '/usr/sbin/nginx-debug', size: 1_395_560, program: 'nginx' }] },
    { name: 'nginx-module-njs', version: `${VERSION}.0.8.7-r1`, description: 'nginx njs dynamic modules', url: 'https://nginx.org/', license: 'BSD-2-Clause', files: [{ lib: '/usr/lib/nginx/modules/ngx_http_js_module.so', size: 2_652_376 }, { lib: '/usr/lib/nginx/modules/ngx_stream_js_module.so', size: 2_615_448 }] },
    { name: 'pcre2', version: '10.43-r0', description: 'Perl-compatible regular expression library', url: 'https://pcre.org/', license: 'BSD-3-Clause', files: [{ lib: '/usr/lib/libpcre2-8.so.0.12.0', size: 575_232 }] },
    { name: 'libintl', version: '0.22.5-r0', description: 'GNU gettext runtime library', url: 'https://www.gnu.org/software/gettext/gettext.html', license: 'LGPL-2.1-or-later', origin: 'gettext', files: [{ lib: '/usr/lib/libintl.so.8.4.0', size: 54_176 }] },
    { name: 'gettext-envsubst', version: '0.22.5-r0', description: 'GNU gettext envsubst binary', url: 'https://www.gnu.org/software/gettext/gettext.html', license: 'GPL-3.0-or-later', origin: 'gettext', files: [{ bin: '/usr/bin/envsubst', size: 22_384 }] },
    { name: 'curl', version: '8.11.0-r2', description: 'URL retrival utility and library', url: 'https://curl.se/', license: 'curl', files: [{ bin: '/usr/bin/curl', size: 255_120 }, { lib: '/usr/lib/libcurl.so.4.8.0', size: 658_576 }] },
    { name: 'libxml2', version: '2.12.7-r0', description: 'XML parsing library, version 2', url: 'https://gitlab.gnome.org/GNOME/libxml2', license: 'MIT', files: [{ lib: '/usr/lib/libxml2.so.2.12.7', size: 1_325_464 }] },
    { name: 'libxslt', version: '1.1.39-r1', description: 'XML stylesheet transformation library', url: 'https://gitlab.gnome.org/GNOME/libxslt', license: 'X11', files: [{ lib: '/usr/lib/libxslt.so.1.1.39', size: 237_440 }] },
    { name: 'tzdata', version: '2024b-r0', description: 'Timezone data', url: 'https://www.iana.org/time-zones', license: 'Public-Domain', files: [{ lib: '/usr/share/zoneinfo/tzdata.zi', size: 1_425_760 }] },
    { name: 'icu-data-en', version: '74.2-r0', description: 'Stripped down ICU data with only en_US/GB locale', url: 'https://icu.unicode.org/', license: 'MIT', origin: 'icu', files: [{ lib: '/usr/share/icu/74.2/icudt74l.dat', size: 2_677_120 }] },
    { name: 'icu-libs', version: '74.2-r0', description: 'International Components for Unicode library (libraries)', url: 'https://icu.unicode.org/', license: 'MIT', origin: 'icu', files: [{ lib: '/usr/lib/libicuuc.so.74.2', size: 2_203_600 }, { lib: '/usr/lib/libicui18n.so.74.2', size: 3_478_624 }] },
    { name: 'libgd', version: '2.3.3-r9', description: 'Library for the dynamic creation of images by programmers', url: 'https://libgd.github.io/', license: 'GD', origin: 'gd', files: [{ lib: '/usr/lib/libgd.so.3.0.11', size: 381_208 }] },
    { name: 'libwebp', version: '1.3.2-r0', description: 'Libraries for working with WebP images', url: 'https://developers.google.com/speed/webp', license: 'BSD-3-Clause', files: [{ lib: '/usr/lib/libwebp.so.7.1.8', size: 452_136 }] },
    { name: 'aom-libs', version: '3.9.1-r0', description: 'Alliance for Open Media (AOM) AV1 codec SDK (libraries)', url: 'https://aomedia.org/', license: 'BSD-2-Clause', origin: 'aom', files: [{ lib: '/usr/lib/libaom.so.3.9.1', size: 5_162_752 }] },
  ], MTIME);
  for (const e of scratch.list()) {
    if (e.type === 'file') fs.file(e.path, e.data ?? '', { mode: e.mode, ...(e.size ? { size: e.size } : {}) });
    else if (e.type === 'symlink') fs.symlink(e.path, e.linkname!);
  }
  fs.file('/lib/apk/db/installed', db + added);
  fs.file('/etc/passwd', `${base.list().find((e) => e.path === '/etc/passwd')!.data}nginx:x:101:101:nginx:/var/cache/nginx:/sbin/nologin\n`);
  fs.file('/etc/group', `${base.list().find((e) => e.path === '/etc/group')!.data}nginx:x:101:nginx\n`);
  nginxCommon(fs, 101);
  return withEntrypoint(new ImageRecipe(arch, CREATED).from(alpine(arch)), 'alpine')
    .run(`set -x     && addgroup -g 101 -S nginx     && adduser -S -D -H -u 101 -h /var/cache/nginx -s /sbin/nologin -G nginx -g nginx nginx     && apkArch="$(cat /etc/apk/arch)"     && nginxPackages="         nginx=\${NGINX_VERSION}-r\${PKG_RELEASE}     "     && apk add -X "https://nginx.org/packages/mainline/alpine/v$(egrep -o '^[0-9]+\\.[0-9]+' /etc/alpine-release)/main" --no-cache $nginxPackages     && apk add --no-cache --virtual .gettext gettext     && apk add --no-cache tzdata     && apk add --no-cache curl ca-certificates     && ln -sf /dev/stdout /var/log/nginx/access.log     && ln -sf /dev/stderr /var/log/nginx/error.log     && mkdir /docker-entrypoint.d`, fs.layer({ compressionRatio: 0.42 }))
    .copy('docker-entrypoint.sh /', entrypointLayer(arch))
    .copy('10-listen-on-ipv6-by-default.sh /docker-entrypoint.d', scriptLayer(arch, '10-listen-on-ipv6-by-default.sh', NGINX_IPV6_SCRIPT))
    .copy('15-local-resolvers.envsh /docker-entrypoint.d', scriptLayer(arch, '15-local-resolvers.envsh', NGINX_RESOLVERS_SCRIPT))
    .copy('20-envsubst-on-templates.sh /docker-entrypoint.d', scriptLayer(arch, '20-envsubst-on-templates.sh', NGINX_ENVSUBST_SCRIPT))
    .copy('30-tune-worker-processes.sh /docker-entrypoint.d', scriptLayer(arch, '30-tune-worker-processes.sh', NGINX_TUNE_SCRIPT))
    .entrypoint('/docker-entrypoint.sh')
    .expose('80/tcp')
    .stopSignal('SIGQUIT')
    .cmd('nginx', '-g', 'daemon off;')
    .build();
}

/** LABEL and ENV lines the Dockerfile has before its RUN. */
function withEntrypoint(recipe: ImageRecipe, flavour: 'bookworm' | 'alpine'): ImageRecipe {
  recipe.at(CREATED).label('maintainer', 'NGINX Docker Maintainers <docker-maint@nginx.com>').env('NGINX_VERSION', VERSION).env('NJS_VERSION', '0.8.7');
  if (flavour === 'bookworm') recipe.env('NJS_RELEASE', '1~bookworm').env('PKG_RELEASE', '1~bookworm').env('DYNPKG_RELEASE', '1~bookworm');
  else recipe.env('PKG_RELEASE', '1').env('DYNPKG_RELEASE', '1').env('NJS_RELEASE', '1');
  return recipe;
}

/** The COPY layers are the same bytes on every base (same files, same build time): shared, as on Hub. */
const entrypointLayer = perArch((arch) => new Rootfs(arch, MTIME).file('/docker-entrypoint.sh', NGINX_ENTRYPOINT, { mode: 0o755 }).layer());
const scriptLayers = new Map<string, ReturnType<Rootfs['layer']>>();
function scriptLayer(arch: Arch, name: string, text: string): ReturnType<Rootfs['layer']> {
  const key = `${arch}/${name}`;
  let layer = scriptLayers.get(key);
  if (!layer) {
    layer = new Rootfs(arch, MTIME).file(`/docker-entrypoint.d/${name}`, text, { mode: 0o755 }).layer();
    scriptLayers.set(key, layer);
  }
  return layer;
}

/** nginx:1.27 (Debian) for one architecture. */
export const nginx = perArch(nginxDebian);
/** nginx:1.27-alpine for one architecture. */
export const nginxAlpineImage = perArch(nginxAlpine);

const debianTag = once(() => new ImageIndex([nginx('amd64'), nginx('arm64')]));
const alpineTag = once(() => new ImageIndex([nginxAlpineImage('amd64'), nginxAlpineImage('arm64')]));

/** docker.io/library/nginx. */
export const nginxRepository: RegistryRepository = {
  path: 'library/nginx',
  tags: {
    latest: debianTag, mainline: debianTag, '1': debianTag, '1.27': debianTag, '1.27.3': debianTag, bookworm: debianTag, '1.27.3-bookworm': debianTag,
    alpine: alpineTag, 'mainline-alpine': alpineTag, '1-alpine': alpineTag, '1.27-alpine': alpineTag, '1.27.3-alpine': alpineTag, 'alpine3.20': alpineTag,
  },
};
