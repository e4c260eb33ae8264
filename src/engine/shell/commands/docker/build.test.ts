import { describe, expect, it } from 'vitest';
import { bootDockerHost } from '../../../runtime/dockerd/testing.ts';
import { scriptRunner } from '../../../testing/hostScripts.ts';
import { settle } from '../../../testing/terminal.ts';

const NOTICE = 'DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n'
  + '            Install the buildx component to build images with BuildKit:\n            https://docs.docker.com/go/buildx/\n\n';

/** A docker host with files under /app; `run` runs a script there in a fresh session. */
function lab(files: Record<string, string> = {}) {
  const node = bootDockerHost();
  const vfs = node.host.vfsFor(node.host.init);
  const write = (f: Record<string, string>) => {
    for (const [path, data] of Object.entries(f)) {
      vfs.mkdirAll(`/app/${path}`.replace(/\/[^/]*$/, ''), 0o755);
      vfs.writeFile(`/app/${path}`, data, { mode: 0o644 });
    }
  };
  vfs.mkdirAll('/app', 0o755);
  write(files);
  const run = scriptRunner(node.shell, node.clock);
  return { ...node, run, write };
}

/** The build output with container and image IDs replaced by their step's name, for whole-output asserts. */
function shape(output: string): string {
  return output.replace(/^([0-9a-f]{12}|Digest|Status|latest): [^\n]*\n/gm, '').replace(/[0-9a-f]{12}/g, 'ID');
}

const APP = { Dockerfile: 'FROM busybox\nENV GREETING=hello\nCOPY hello.txt /srv/\nRUN cat /srv/hello.txt > /copy\nCMD ["cat", "/copy"]\n', 'hello.txt': 'hi there\n' };

describe('docker build', () => {
  it('builds step by step, then hits the cache for every step, then rebuilds from a changed COPY on', async () => {
    const { run, write } = lab(APP);
    const first = await run('docker build -t app /app');
    expect(first.status).toBe(0);
    expect(first.stderr).toBe(NOTICE);
    expect(shape(first.stdout)).toBe(
      'Sending build context to Docker daemon  3.072kB\n'
      + 'Step 1/5 : FROM busybox\n ---> ID\n'
      + 'Step 2/5 : ENV GREETING=hello\n ---> Running in ID\n ---> Removed intermediate container ID\n ---> ID\n'
      + 'Step 3/5 : COPY hello.txt /srv/\n ---> ID\n'
      + 'Step 4/5 : RUN cat /srv/hello.txt > /copy\n ---> Running in ID\n ---> Removed intermediate container ID\n ---> ID\n'
      + 'Step 5/5 : CMD ["cat", "/copy"]\n ---> Running in ID\n ---> Removed intermediate container ID\n ---> ID\n'
      + 'Successfully built ID\nSuccessfully tagged app:latest\n',
    );
    const id = /Successfully built ([0-9a-f]{12})/.exec(first.stdout)![1]!;

    const second = await run('docker build -t app /app');
    expect(shape(second.stdout)).toBe(
      'Sending build context to Docker daemon  3.072kB\n'
      + 'Step 1/5 : FROM busybox\n ---> ID\n'
      + 'Step 2/5 : ENV GREETING=hello\n ---> Using cache\n ---> ID\n'
      + 'Step 3/5 : COPY hello.txt /srv/\n ---> Using cache\n ---> ID\n'
      + 'Step 4/5 : RUN cat /srv/hello.txt > /copy\n ---> Using cache\n ---> ID\n'
      + 'Step 5/5 : CMD ["cat", "/copy"]\n ---> Using cache\n ---> ID\n'
      + 'Successfully built ID\nSuccessfully tagged app:latest\n',
    );
    expect(second.stdout).toContain(`Successfully built ${id}\n`);

    write({ 'hello.txt': 'changed\n' });
    const third = await run('docker build -t app /app');
    expect(shape(third.stdout)).toBe(
      'Sending build context to Docker daemon  3.072kB\n'
      + 'Step 1/5 : FROM busybox\n ---> ID\n'
      + 'Step 2/5 : ENV GREETING=hello\n ---> Using cache\n ---> ID\n'
      + 'Step 3/5 : COPY hello.txt /srv/\n ---> ID\n'
      + 'Step 4/5 : RUN cat /srv/hello.txt > /copy\n ---> Running in ID\n ---> Removed intermediate container ID\n ---> ID\n'
      + 'Step 5/5 : CMD ["cat", "/copy"]\n ---> Running in ID\n ---> Removed intermediate container ID\n ---> ID\n'
      + 'Successfully built ID\nSuccessfully tagged app:latest\n',
    );
    expect((await run('docker run --rm app')).stdout).toBe('changed\n');

    const images = (await run('docker images --format "{{.Repository}}:{{.Tag}} {{.ID}}"')).stdout.split('\n').filter(Boolean);
    expect(images).toContain(`<none>:<none> ${id}`);
    expect(images.filter((l) => l.startsWith('<none>'))).toHaveLength(1);
    expect(images).toHaveLength(3);
    const all = (await run('docker images -a -q')).stdout.split('\n').filter(Boolean);
    expect(all.length).toBeGreaterThan(images.length);
    expect((await run('docker ps -a -q')).stdout).toBe('');
  });

  it('writes history and inspect as the classic builder does', async () => {
    const { run } = lab(APP);
    await run('docker build -q -t app /app');
    const history = (await run('docker history --no-trunc --format "{{.CreatedBy}}|{{.Size}}" app')).stdout.split('\n');
    expect(history.slice(0, 4).map((l) => l.replace(/[0-9a-f]{64}/, 'SUM'))).toEqual([
      '/bin/sh -c #(nop)  CMD ["cat" "/copy"]|0B',
      '/bin/sh -c cat /srv/hello.txt > /copy|9B',
      '/bin/sh -c #(nop) COPY file:SUM in /srv/ |9B',
      '/bin/sh -c #(nop)  ENV GREETING=hello|0B',
    ]);
    const ids = (await run('docker history -q app')).stdout.split('\n');
    expect(ids.slice(0, 5).every((i) => /^[0-9a-f]{12}$/.test(i))).toBe(true);
    expect(ids[5]).toBe('<missing>');
    const inspect = JSON.parse((await run('docker image inspect -f "{{json .Config}}" app')).stdout) as { Env: string[]; Cmd: string[] };
    expect(inspect.Env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'GREETING=hello']);
    expect(inspect.Cmd).toEqual(['cat', '/copy']);
    const parent = (await run('docker image inspect -f "{{.Parent}}" app')).stdout.trim();
    expect(parent).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('prints only the image ID with -q', async () => {
    const { run } = lab(APP);
    const r = await run('docker build -q /app');
    expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(r.stderr).toBe(NOTICE);
  });

  it('builds a multi-stage Dockerfile whose final image has none of the build stage layers', async () => {
    const { run } = lab({
      Dockerfile: 'FROM busybox AS build\nRUN echo compiled > /out\nRUN echo junk > /junk\n\nFROM alpine\nCOPY --from=build /out /app/out\nCMD ["cat", "/app/out"]\n',
    });
    const r = await run('docker build -t multi /app');
    expect(r.status).toBe(0);
    const layers = JSON.parse((await run('docker image inspect -f "{{json .RootFS.Layers}}" multi')).stdout) as string[];
    const alpine = JSON.parse((await run('docker image inspect -f "{{json .RootFS.Layers}}" alpine')).stdout) as string[];
    const busybox = JSON.parse((await run('docker image inspect -f "{{json .RootFS.Layers}}" busybox')).stdout) as string[];
    expect(layers.slice(0, alpine.length)).toEqual(alpine);
    expect(layers).toHaveLength(alpine.length + 1);
    expect(layers.some((l) => busybox.includes(l))).toBe(false);
    expect((await run('docker run --rm multi')).stdout).toBe('compiled\n');
    expect((await run('docker run --rm multi ls /')).stdout).not.toContain('junk');
  });

  it('builds up to --target', async () => {
    const { run } = lab({ Dockerfile: 'FROM busybox AS one\nRUN echo one > /f\nFROM busybox AS two\nRUN echo two > /f\n' });
    const r = await run('docker build -q -t t --target one /app && docker run --rm t cat /f');
    expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\none\n$/);
    const bad = await run('docker build --target nope /app');
    expect(bad.stderr).toBe(`${NOTICE}Error response from daemon: failed to reach build target nope in Dockerfile\n`);
  });

  it('fails on a RUN that exits non-zero, with its status', async () => {
    const { run } = lab({ Dockerfile: 'FROM busybox\nRUN exit 3\n' });
    const r = await run('docker build -t x /app');
    expect(r.status).toBe(3);
    expect(shape(r.stdout)).toBe('Sending build context to Docker daemon  2.048kB\nStep 1/2 : FROM busybox\n ---> ID\nStep 2/2 : RUN exit 3\n ---> Running in ID\n');
    expect(r.stderr).toBe(`${NOTICE}The command '/bin/sh -c exit 3' returned a non-zero code: 3\n`);
    expect((await run('docker images -q x')).stdout).toBe('');
  });

  it.each([
    ['FROM busybox\nRUN true\nFOOBAR bar\n', 'Error response from daemon: dockerfile parse error on line 3: unknown instruction: FOOBAR\n'],
    ['FROM busybox\nfoo bar\n', 'Error response from daemon: dockerfile parse error on line 2: unknown instruction: foo (did you mean from?)\n'],
    ['FROM busybox\nRUNN true\n', 'Error response from daemon: dockerfile parse error on line 2: unknown instruction: RUNN (did you mean RUN?)\n'],
    ['ENV A=b\nFROM busybox\n', 'Error response from daemon: no build stage in current context\n'],
    ['', 'Error response from daemon: the Dockerfile (Dockerfile) cannot be empty\n'],
    ['# only a comment\n', 'Error response from daemon: file with no instructions\n'],
  ])('refuses %j before any step, creating nothing', async (dockerfile, message) => {
    const { run } = lab({ Dockerfile: dockerfile });
    const r = await run('docker build -t x /app');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^Sending build context to Docker daemon +[0-9.]+kB\n$/);
    expect(r.stderr).toBe(NOTICE + message);
    expect((await run('docker images -a -q; docker ps -a -q')).stdout).toBe('');
  });

  it('fails on FROM an image that does not exist with the pull error, creating nothing', async () => {
    const { run } = lab({ Dockerfile: 'FROM nosuchimage\nRUN true\n' });
    const r = await run('docker build -t x /app');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('Sending build context to Docker daemon  2.048kB\nStep 1/2 : FROM nosuchimage\n');
    expect(r.stderr).toBe(`${NOTICE}pull access denied for nosuchimage, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n`);
    expect((await run('docker images -a -q; docker ps -a -q')).stdout).toBe('');
  });

  it.each([
    ['docker build /nope', 'unable to prepare context: path "/nope" not found\n'],
    ['docker build /app', 'unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat /app/Dockerfile: no such file or directory\n'],
  ])('%s fails in the CLI', async (command, message) => {
    const { run } = lab();
    const r = await run(command);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(NOTICE + message);
  });

  it('applies .dockerignore, build args, WORKDIR, USER, LABEL, EXPOSE and ENTRYPOINT', async () => {
    const { run } = lab({
      Dockerfile: 'ARG BASE=busybox\nFROM $BASE\nARG WHO=nobody\nWORKDIR /srv/app\nCOPY . .\nRUN echo "$WHO" > who && ls -a > files\nLABEL team=${WHO:-x}\nEXPOSE 8080\nENTRYPOINT ["cat"]\nCMD ["files"]\n',
      '.dockerignore': '# comment\n*.log\nsecret/\n!keep.log\n',
      'a.log': 'x', 'keep.log': 'k', 'secret/key': 's', 'main.txt': 'm',
    });
    const r = await run('docker build --build-arg WHO=student --build-arg UNUSED=1 -t cfg /app');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('[Warning] One or more build-args [UNUSED] were not consumed\n');
    expect(r.stdout).toContain('Step 1/10 : ARG BASE=busybox\nStep 2/10 : FROM $BASE\n');
    expect(r.stdout).toContain('Step 6/10 : RUN echo "$WHO" > who && ls -a > files\n');
    expect((await run('docker run --rm cfg')).stdout).toBe('.\n..\n.dockerignore\nDockerfile\nfiles\nkeep.log\nmain.txt\nwho\n');
    expect((await run('docker run --rm cfg who')).stdout).toBe('student\n');
    expect((await run('docker image inspect -f "{{.Config.WorkingDir}} {{json .Config.Labels}} {{json .Config.ExposedPorts}}" cfg')).stdout).toBe('/srv/app {"team":"student"} {"8080/tcp":{}}\n');
    const history = (await run('docker history --no-trunc --format "{{.CreatedBy}}" cfg')).stdout;
    expect(history).toContain('|1 WHO=student /bin/sh -c echo "$WHO" > who && ls -a > files\n');
    expect(history).toContain('/bin/sh -c #(nop) WORKDIR /srv/app\n');
  });

  it('reads a Dockerfile from stdin with -', async () => {
    const { run } = lab();
    const r = await run('printf "FROM busybox\\nCMD [\\"echo\\", \\"piped\\"]\\n" | docker build -t piped - && docker run --rm piped');
    expect(r.status).toBe(0);
    expect(r.stdout.endsWith('Successfully tagged piped:latest\npiped\n')).toBe(true);
  });
});

describe('docker build with ADD of a local tar archive', () => {
  const SITE = { 'site/index.html': '<h1>hi</h1>\n', 'site/conf/app.conf': 'port=80\n' };

  it('unpacks the archive into the destination; COPY copies it; a rebuild hits the cache until it changes', async () => {
    const { run, write } = lab({ ...SITE, Dockerfile: 'FROM busybox\nADD site.tar /srv\nCOPY site.tar /archives/\n' });
    expect(await run('cd /app && tar cf site.tar site/')).toMatchObject({ status: 0, stderr: '' });
    const first = await run('docker build -t site /app');
    expect(first.status).toBe(0);
    expect(shape(first.stdout)).toBe(
      'Sending build context to Docker daemon  15.87kB\n'
      + 'Step 1/3 : FROM busybox\n ---> ID\n'
      + 'Step 2/3 : ADD site.tar /srv\n ---> ID\n'
      + 'Step 3/3 : COPY site.tar /archives/\n ---> ID\n'
      + 'Successfully built ID\nSuccessfully tagged site:latest\n',
    );
    expect(await run('docker run --rm site find /srv /archives')).toMatchObject({
      status: 0,
      stdout: '/srv\n/srv/site\n/srv/site/conf\n/srv/site/conf/app.conf\n/srv/site/index.html\n/archives\n/archives/site.tar\n',
    });
    expect((await run('docker run --rm site cat /srv/site/conf/app.conf')).stdout).toBe('port=80\n');
    expect((await run('docker run --rm site wc -c /archives/site.tar')).stdout).toBe('10240 /archives/site.tar\n');

    const again = await run('docker build -t site /app');
    expect(shape(again.stdout)).toContain('Step 2/3 : ADD site.tar /srv\n ---> Using cache\n');

    write({ 'site/index.html': '<h1>changed</h1>\n' });
    await run('cd /app && tar cf site.tar site');
    const changed = await run('docker build -t site /app');
    expect(shape(changed.stdout)).toContain('Step 2/3 : ADD site.tar /srv\n ---> ID\n');
    expect((await run('docker run --rm site cat /srv/site/index.html')).stdout).toBe('<h1>changed</h1>\n');
  });

  it('copies a file named .tar that is not an archive, as ADD copies any local file', async () => {
    const { run } = lab({ 'fake.tar': 'just text\n', Dockerfile: 'FROM busybox\nADD fake.tar /srv/\n' });
    expect((await run('docker build -q -t fake /app')).status).toBe(0);
    expect((await run('docker run --rm fake find /srv')).stdout).toBe('/srv\n/srv/fake.tar\n');
    expect((await run('docker run --rm fake cat /srv/fake.tar')).stdout).toBe('just text\n');
  });
});

describe('docker build on the laptop', () => {
  it('builds /home/student/app on docker-host and runs it', async () => {
    const { Lab } = await import('../../../cluster/lab.ts');
    const { runHeadless } = await import('../../../cluster/headless.ts');
    const lab = new Lab();
    let stdout = '';
    let stderr = '';
    const script = 'mkdir -p /home/student/app && cd /home/student/app && printf "hello from the laptop\\n" > msg.txt'
      + ' && printf "FROM busybox\\nCOPY msg.txt /msg.txt\\nCMD [\\"cat\\", \\"/msg.txt\\"]\\n" > Dockerfile'
      + ' && cd / && docker build -t app /home/student/app >/dev/null && docker run --rm app';
    const status = await runHeadless(lab, script, { yieldToHost: settle, onOutput: (c) => (c.stream === 'stdout' ? (stdout += c.text) : (stderr += c.text)) });
    expect(stderr).toBe(NOTICE);
    expect(stdout).toBe('hello from the laptop\n');
    expect(status).toBe(0);
  });
});
