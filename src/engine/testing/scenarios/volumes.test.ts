/**
 * Note 004 (卷挂载: anonymous volumes, named volumes, bind mounts; a path starting with / is a bind
 * mount, anything else a volume name; a bind mount hides what the image has there), replayed with
 * busybox: the containers' view through `docker run`, the volumes' directories through `ssh docker-host`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lines, rows, Scenario } from './scenario.ts';

const VOLUMES = '/var/lib/docker/volumes';

describe('docker volumes and bind mounts', () => {
  const s = new Scenario();
  beforeAll(async () => {
    await s.pull('busybox');
  });

  it('a named volume outlives its containers: what one writes the next reads, and it is a directory on the host', async () => {
    await s.out("docker run --rm -v data:/data busybox sh -c 'echo kept > /data/f'");
    expect(await s.out('docker run --rm -v data:/data busybox cat /data/f')).toBe('kept\n');
    expect(await s.out(`ssh docker-host cat ${VOLUMES}/data/_data/f`)).toBe('kept\n');
    expect(rows(await s.out('docker volume ls'))).toEqual([
      ['DRIVER', 'VOLUME', 'NAME'],
      ['local', 'data'],
    ]);
  });

  it('-v /path (no name) makes an anonymous volume with a random 64-hex name, shown in docker inspect’s Mounts', async () => {
    await s.out('docker run -d --name anon -v /cache busybox sleep 1000');
    const mount = JSON.parse(await s.inspect('anon', '{{json .Mounts}}')) as Array<Record<string, unknown>>;
    expect(mount).toEqual([
      { Type: 'volume', Name: expect.stringMatching(/^[0-9a-f]{64}$/), Source: expect.stringMatching(new RegExp(`^${VOLUMES}/[0-9a-f]{64}/_data$`)), Destination: '/cache', Driver: 'local', Mode: '', RW: true, Propagation: '' },
    ]);
    expect(mount[0]!.Source).toBe(`${VOLUMES}/${String(mount[0]!.Name)}/_data`);
    // The CLI sorts volumes by name.
    expect(lines(await s.out('docker volume ls -q'))).toEqual([String(mount[0]!.Name), 'data'].sort());
    await s.out('docker exec anon sh -c "echo x > /cache/y"');
    expect(await s.out(`ssh docker-host cat ${String(mount[0]!.Source)}/y`)).toBe('x\n');
  });

  it('a bind mount (a path starting with /) hides what the image has at the target', async () => {
    await s.out("ssh docker-host 'mkdir -p /my/etc && echo hi > /my/etc/only.txt'");
    expect(await s.out('docker run --rm -v /my/etc:/etc busybox ls /etc')).toBe('hostname\nhosts\nonly.txt\nresolv.conf\n');
    // runc made empty files in the host directory to mount the container's hostname, hosts and resolv.conf on.
    expect(lines(await s.out(`ssh docker-host "stat -c '%s %n' /my/etc/*"`))).toEqual(['0 /my/etc/hostname', '0 /my/etc/hosts', '3 /my/etc/only.txt', '0 /my/etc/resolv.conf']);
    // What the container writes there is on the host.
    await s.out("docker run --rm -v /my/etc:/mnt busybox sh -c 'echo from-container > /mnt/new'");
    expect(await s.out('ssh docker-host cat /my/etc/new')).toBe('from-container\n');
  });

  it('nginx with an empty host directory bind-mounted on /etc/nginx finds no nginx.conf and exits 1', async () => {
    await s.out('docker pull -q nginx >/dev/null');
    await s.out("ssh docker-host 'mkdir -p /my/nginx'");
    await s.out('docker run -d --name hidden -v /my/nginx:/etc/nginx nginx >/dev/null; sleep 1');
    expect(await s.inspect('hidden', '{{.State.Status}} {{.State.ExitCode}}')).toBe('exited 1');
    expect(await s.out('docker logs hidden 2>&1 | tail -1')).toBe('nginx: [emerg] open() "/etc/nginx/nginx.conf" failed (2: No such file or directory)\n');
  });

  it(':ro makes the mount read-only in the container', async () => {
    const result = await s.run("docker run --rm -v /my/etc:/mnt:ro busybox sh -c 'echo x > /mnt/x'");
    expect(result.stderr).toBe("sh: can't create /mnt/x: Read-only file system\n");
    expect(result.status).toBe(2);
    expect(await s.out('ssh docker-host ls /my/etc')).toBe('hostname\nhosts\nnew\nonly.txt\nresolv.conf\n');
  });

  // busybox ash words a failed redirection "can't create FILE" and fails with status 2, as dash does.
  it('busybox sh on a :ro mount prints ash’s message', async () => {
    expect(await s.run("docker run --rm -v /my/etc:/mnt:ro busybox sh -c 'echo x > /mnt/x'")).toEqual({ stdout: '', stderr: "sh: can't create /mnt/x: Read-only file system\n", status: 2 });
  });

  // busybox's touch reports "touch: FILE: ERROR", where GNU's says "cannot touch 'FILE'".
  it('busybox touch on a :ro mount prints busybox’s message', async () => {
    expect(await s.run('docker run --rm -v /my/etc:/mnt:ro busybox touch /mnt/x')).toEqual({ stdout: '', stderr: 'touch: /mnt/x: Read-only file system\n', status: 1 });
  });

  // An empty named volume mounted over an image directory is first filled with what the container's
  // rootfs has there: the image's files and the init layer's (hostname, hosts, resolv.conf, mtab).
  it('an empty named volume takes the image’s files at its mount point', async () => {
    const image = await s.out("docker image inspect -f '{{.GraphDriver.Data.UpperDir}}' busybox");
    const etc = lines(await s.out(`ssh docker-host ls ${image.trimEnd()}/etc`));
    await s.out('docker run --rm -v etcvol:/etc busybox true');
    expect(lines(await s.out(`ssh docker-host ls ${VOLUMES}/etcvol/_data`))).toEqual([...new Set([...etc, 'hostname', 'hosts', 'mtab', 'resolv.conf'])].sort());
  });
});
