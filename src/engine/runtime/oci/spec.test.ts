import { describe, expect, it } from 'vitest';
import { marshalSpec } from './spec.ts';
import { generateSpec, replaceOrAppendEnvValues, SpecError, withCPUCFS, withCPUShares, withEnv, withHostNamespace, withImageConfig, withMemoryLimit, withPidsLimit, withUser } from './specOpts.ts';

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnginx:x:101:101:nginx:/nonexistent:/bin/false\n';
const GROUP = 'root:x:0:\nnginx:x:101:\nwww-data:x:33:\n';

describe('OCI spec', () => {
  it("writes containerd's default spec in the Go structs' key order", () => {
    const json = marshalSpec(generateSpec('web', 'default'));
    expect(json.startsWith('{"ociVersion":"1.1.0","process":{"user":{"uid":0,"gid":0},"cwd":"/","capabilities":{"bounding":["CAP_CHOWN",')).toBe(true);
    expect(json).toContain('"rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}],"noNewPrivileges":true},"root":{"path":"rootfs"},"mounts":[{"destination":"/proc","type":"proc","source":"proc","options":["nosuid","noexec","nodev"]}');
    expect(json).toContain('"linux":{"resources":{"devices":[{"allow":false,"access":"rwm"}]},"cgroupsPath":"/default/web","namespaces":[{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"network"}],"maskedPaths":["/proc/acpi"');
    expect(JSON.parse(json).process.capabilities.bounding).toHaveLength(14);
  });

  it('takes args, env, cwd and user from the image config', () => {
    const spec = generateSpec(
      'web',
      'k8s.io',
      withEnv(['FOO=bar']),
      withImageConfig({ Entrypoint: ['/docker-entrypoint.sh'], Cmd: ['nginx', '-g', 'daemon off;'], Env: ['PATH=/usr/bin:/bin', 'FOO=image'], WorkingDir: '/srv', User: 'nginx' }, { passwd: PASSWD, group: GROUP }),
    );
    expect(spec.process).toMatchObject({ args: ['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;'], env: ['PATH=/usr/bin:/bin', 'FOO=bar'], cwd: '/srv', user: { uid: 101, gid: 101 } });
    expect(marshalSpec(spec)).toContain('"daemon off;"');
  });

  it.each([
    ['1000', { uid: 1000, gid: 0 }],
    ['101', { uid: 101, gid: 101 }],
    ['1000:33', { uid: 1000, gid: 33 }],
    ['nginx:www-data', { uid: 101, gid: 33 }],
    ['0:nginx', { uid: 0, gid: 101 }],
  ])('resolves USER %s', (user, expected) => {
    expect(generateSpec('c', 'default', withUser(user, { passwd: PASSWD, group: GROUP })).process!.user).toEqual(expected);
  });

  it.each([
    ['nobody', 'no users found'],
    ['root:staff', 'no groups found'],
  ])('fails on USER %s with %s', (user, message) => {
    expect(() => generateSpec('c', 'default', withUser(user, { passwd: PASSWD, group: GROUP }))).toThrow(new SpecError(message));
  });

  it('writes resources and drops a host namespace', () => {
    const spec = generateSpec('c', 'default', withMemoryLimit(128 << 20), withCPUShares(512), withCPUCFS(50_000, 100_000), withPidsLimit(100), withHostNamespace('network'));
    expect(marshalSpec(spec)).toContain('"resources":{"devices":[{"allow":false,"access":"rwm"}],"memory":{"limit":134217728},"cpu":{"shares":512,"quota":50000,"period":100000},"pids":{"limit":100}}');
    expect(spec.linux!.namespaces!.map((n) => n.type)).toEqual(['pid', 'ipc', 'uts', 'mount']);
  });

  it('replaces env entries by name and appends the rest', () => {
    expect(replaceOrAppendEnvValues(['A=1', 'B=2'], ['B=3', 'C=4'])).toEqual(['A=1', 'B=3', 'C=4']);
  });
});
