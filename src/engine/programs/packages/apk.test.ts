import { describe, expect, it } from 'vitest';
import { dockerHostScripts } from '../../testing/hostScripts.ts';

const lab = dockerHostScripts;

const FETCH = 'fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/main/x86_64/APKINDEX.tar.gz\nfetch https://dl-cdn.alpinelinux.org/alpine/v3.20/community/x86_64/APKINDEX.tar.gz\n';

describe('apk in containers', () => {
  it('adds curl with its dependencies, runs it, and deletes it again', async () => {
    const { run } = lab();
    await run('docker pull -q alpine');
    const r = await run("docker run --rm alpine sh -c 'apk add --no-cache curl && curl http://example.com; echo $?; apk info -vv | tail -2; cat /etc/apk/world; apk del curl; ls /var/cache/apk'");
    expect(r.stdout).toBe(
      FETCH
      + '(1/10) Installing ca-certificates (20240705-r0)\n(2/10) Installing brotli-libs (1.1.0-r2)\n(3/10) Installing c-ares (1.33.1-r0)\n'
      + '(4/10) Installing libunistring (1.2-r0)\n(5/10) Installing libidn2 (2.3.7-r0)\n(6/10) Installing nghttp2-libs (1.62.1-r0)\n'
      + '(7/10) Installing libpsl (0.21.5-r1)\n(8/10) Installing zstd-libs (1.5.6-r0)\n(9/10) Installing libcurl (8.11.1-r0)\n(10/10) Installing curl (8.11.1-r0)\n'
      + 'Executing busybox-1.36.1-r29.trigger\nExecuting ca-certificates-20240705-r0.trigger\nOK: 11 MiB in 25 packages\n'
      + '6\n'
      + 'libcurl-8.11.1-r0 - The multiprotocol file transfer library\ncurl-8.11.1-r0 - URL retrival utility and library\n'
      + 'alpine-baselayout\nalpine-keys\napk-tools\nbusybox\nca-certificates-bundle\ncurl\nlibc-utils\n'
      + '(1/10) Purging curl (8.11.1-r0)\n(2/10) Purging libcurl (8.11.1-r0)\n(3/10) Purging zstd-libs (1.5.6-r0)\n(4/10) Purging libpsl (0.21.5-r1)\n'
      + '(5/10) Purging nghttp2-libs (1.62.1-r0)\n(6/10) Purging libidn2 (2.3.7-r0)\n(7/10) Purging libunistring (1.2-r0)\n(8/10) Purging c-ares (1.33.1-r0)\n'
      + '(9/10) Purging brotli-libs (1.1.0-r2)\n(10/10) Purging ca-certificates (20240705-r0)\nExecuting busybox-1.36.1-r29.trigger\nOK: 7 MiB in 15 packages\n',
    );
    expect(r.stderr).toBe('curl: (6) Could not resolve host: example.com\n');
  });

  it('keeps the index after update, and fetches nothing while it is fresh', async () => {
    const { run } = lab();
    await run('docker pull -q alpine');
    const r = await run("docker run --rm alpine sh -c 'apk update && apk add -q bash && apk info bash'");
    expect(r.stdout).toBe(
      FETCH
      + 'v3.20.3-259-g7f1c0b6bd11 [https://dl-cdn.alpinelinux.org/alpine/v3.20/main]\nv3.20.3-258-g3e4d8a5a2a4 [https://dl-cdn.alpinelinux.org/alpine/v3.20/community]\n'
      + 'OK: 30 distinct packages available\n'
      + 'bash-5.2.26-r0 description:\nThe GNU Bourne Again shell\n\nbash-5.2.26-r0 webpage:\nhttps://www.gnu.org/software/bash/bash.html\n\nbash-5.2.26-r0 installed size:\n780 KiB\n\n',
    );
  });

  it.each([
    ['apk add nope', '', 'ERROR: unable to select packages:\n  nope (no such package):\n    required by: world[nope]\n', 1],
    ['apk add nope', 'guest', 'ERROR: Unable to lock database: Permission denied\nERROR: Failed to open apk database: Permission denied\n', 99],
  ])('%s (user %s) fails as apk does', async (cmd, user, stderr, status) => {
    const { run } = lab();
    await run('docker pull -q alpine');
    const r = await run(`docker run --rm ${user ? `--user ${user} ` : ''}alpine ${cmd}`);
    expect(r.stderr).toBe(stderr);
    expect(r.status).toBe(status);
  });
});
