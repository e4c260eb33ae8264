import { describe, expect, it } from 'vitest';
import type { RecordsDiff } from '../engine/base/recordsDiff.ts';
import type { ClockRecord, LabRecord } from '../engine/cluster/lab.ts';
import type { TraceEvent } from '../engine/trace/traceEvent.ts';
import { createEngineApi, isComlinkMessage, type WorkerHost } from './engineApi.ts';

/** A host with a hand-cranked wall clock and frames. */
function fakeHost() {
  let wall = 0;
  const timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  const frames: Array<() => void> = [];
  const host: WorkerHost = {
    now: () => wall,
    setTimer(fn, ms) {
      const t = { at: wall + ms, fn, live: true };
      timers.push(t);
      return () => (t.live = false);
    },
    onNextFrame: (fn) => frames.push(fn),
  };
  return {
    host,
    /** Let `ms` of wall time pass, firing due host timers. */
    pass(ms: number) {
      const end = wall + ms;
      for (;;) {
        const due = timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        due.live = false;
        wall = due.at;
        due.fn();
      }
      wall = end;
    },
    frame() {
      const pending = frames.splice(0);
      for (const fn of pending) fn();
      return pending.length;
    },
  };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup() {
  const h = fakeHost();
  const api = createEngineApi(h.host, { seed: 5, startTime: 1_000_000 });
  return { h, api };
}

describe('engine API', () => {
  it('tells the host when the lab stops, and says so in every terminal', async () => {
    const h = fakeHost();
    const stopped: string[] = [];
    const api = createEngineApi({ ...h.host, onStopped: (message) => stopped.push(message) }, { seed: 5, startTime: 1_000_000 });
    const chunks: string[] = [];
    api.openSession({ cols: 80, rows: 24 }, (t) => chunks.push(t), () => {});
    api.lab.clock.after(10, () => {
      throw new Error('a controller bug');
    });
    h.pass(1000);
    await flush();
    expect(stopped).toEqual(['a controller bug']);
    expect(chunks.join('')).toContain('kubelab: the lab stopped: a controller bug');
  });

  it('lists the hosts a session may open on, and opens one there', async () => {
    const { h, api } = setup();
    h.pass(5_000);
    await flush();
    expect(api.shellHosts()).toEqual([
      { name: 'worker-1', kind: 'node' },
      { name: 'worker-2', kind: 'node' },
      { name: 'docker-host', kind: 'lab-host' },
    ]);
    expect(api.openSession({ cols: 80, rows: 24, host: 'worker-2' }, () => {}, () => {})).toMatchObject({ user: 'root', host: 'worker-2' });
  });

  it('opens a session whose output streams back, coalesced per burst', async () => {
    const { api } = setup();
    const chunks: string[] = [];
    const info = api.openSession({ cols: 80, rows: 24 }, (t) => chunks.push(t), () => {});
    expect(info).toEqual({ id: '1', user: 'student', host: 'laptop' });
    await flush();
    expect(chunks).toHaveLength(1);
    api.write(info.id, 'help\r');
    await flush();
    // The whole listing, many writes by the command, arrives as one message.
    const listing = chunks.filter((c) => c.includes('  clear'));
    expect(listing).toHaveLength(1);
    expect(listing[0]).toMatch(/ {2}clear[\s\S]* {2}sleep/);
  });

  it('opens a session on a lab host, whose commands are processes there', async () => {
    const { api } = setup();
    let screen = '';
    const info = api.openSession({ cols: 80, rows: 24, host: 'docker-host' }, (t) => (screen += t), () => {});
    expect(info).toEqual({ id: '1', user: 'root', host: 'docker-host' });
    api.write(info.id, 'cat /proc/self/comm\r');
    for (let i = 0; i < 10; i++) await flush();
    expect(screen).toContain('cat /proc/self/comm\r\ncat\r\n');
    expect(() => api.openSession({ cols: 80, rows: 24, host: 'nope' }, () => {}, () => {})).toThrow('openSession: no host named nope');
  });

  it('runs sleep on the real-time clock: 2 s of virtual time at 100× is 20 ms of wall time', async () => {
    const { h, api } = setup();
    let screen = '';
    const info = api.openSession({ cols: 80, rows: 24 }, (t) => (screen += t), () => {});
    api.setSpeed(100);
    api.write(info.id, 'sleep 2; echo done\r');
    await flush();
    h.pass(19);
    await flush();
    expect(screen).not.toContain('\r\ndone\r\n');
    h.pass(1);
    await flush();
    expect(screen).toContain('\r\ndone\r\n');
  });

  it('delivers a snapshot, then at most one squashed diff per frame', () => {
    const { h, api } = setup();
    const diffs: Array<RecordsDiff<LabRecord>> = [];
    api.subscribe((d) => diffs.push(d));
    expect(Object.keys(diffs[0]!.added)).toEqual(['clock']);
    api.pause();
    api.advance(1000);
    api.advance(1000);
    expect(h.frame()).toBe(1);
    expect(diffs).toHaveLength(2);
    const [from, to] = diffs[1]!.updated.clock! as [ClockRecord, ClockRecord];
    expect(to.now - from.now).toBe(2000);
    expect(to).toMatchObject({ paused: true });
    expect(h.frame()).toBe(0);
  });

  it("mirrors the cluster's objects among the records, and sends the trace a batch per frame", async () => {
    const { h, api } = setup();
    const diffs: Array<RecordsDiff<LabRecord>> = [];
    api.subscribe((d) => diffs.push(d));
    const batches: TraceEvent[][] = [];
    api.subscribeTrace((events) => batches.push(events));
    // The boot's own requests are already on the trace: they come at once.
    expect(batches).toHaveLength(1);
    expect(batches[0]!.some((e) => e.component === 'apiserver')).toBe(true);
    api.pause();
    for (let i = 0; i < 30; i++) {
      api.advance(1000);
      await flush();
    }
    h.frame();
    const ids = new Set(diffs.flatMap((d) => [...Object.keys(d.added), ...Object.keys(d.updated)]));
    expect([...ids].filter((id) => id.startsWith('nodes//')).sort()).toEqual(['nodes//control-plane', 'nodes//worker-1', 'nodes//worker-2']);
    expect([...ids].some((id) => id.startsWith('pods/kube-system/coredns-'))).toBe(true);
    // One frame, one batch: everything traced since the last frame, in order.
    expect(batches.length).toBe(2);
    const seqs = batches[1]!.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(h.frame()).toBe(0);
  });

  it("leaves a lesson's checks out of the trace and the records, and tells a watch when the student's command changes the answer", async () => {
    const { h, api } = setup();
    const diffs: Array<RecordsDiff<LabRecord>> = [];
    api.subscribe((d) => diffs.push(d));
    const batches: TraceEvent[][] = [];
    api.subscribeTrace((events) => batches.push(events));
    api.pause();
    const told: boolean[] = [];
    api.watchChecks([{ id: 'ns', session: 'laptop', command: 'kubectl get namespace shop', expect: { status: 0 }, hints: {} }], (results) => told.push(results[0]!.passed));
    await flush();
    h.frame();
    expect(told).toEqual([false]);
    const info = api.openSession({ cols: 80, rows: 24 }, () => {}, () => {});
    api.write(info.id, 'kubectl create namespace shop\r');
    for (let i = 0; i < 10; i++) await flush();
    // The student's command changed the records: the frame tells the lesson API, whose recheck follows.
    h.frame();
    h.pass(1_000);
    for (let i = 0; i < 10; i++) await flush();
    expect(told).toEqual([false, true]);
    const users = batches.flat().flatMap((e) => (e.component === 'apiserver' && e.stage === 'authentication' ? [e.detail] : []));
    expect(users).toContain('kubernetes-admin');
    expect(users).not.toContain('kubelab:lesson-checks');
    const sessions = new Set(diffs.flatMap((d) => Object.keys(d.added)).filter((id) => id.startsWith('session:')));
    expect([...sessions]).toEqual([`session:${info.id}`]);
  });

  it('reports a session closing in the records and to its exit callback', async () => {
    const { h, api } = setup();
    const diffs: Array<RecordsDiff<LabRecord>> = [];
    api.subscribe((d) => diffs.push(d));
    const exits: number[] = [];
    const info = api.openSession({ cols: 80, rows: 24 }, () => {}, (s) => exits.push(s));
    api.write(info.id, 'exit 7\r');
    await flush();
    h.frame();
    expect(exits).toEqual([7]);
    const last = diffs[diffs.length - 1]!;
    expect(last.added['session:1'] ?? last.updated['session:1']?.[1]).toMatchObject({ state: 'closed', exitStatus: 7 });
    expect(() => api.write(info.id, 'echo\r')).toThrow('write: session 1 is closed or does not exist');
  });

  it.each([
    ['write to an unknown session', (api: ReturnType<typeof setup>['api']) => api.write('99', 'x'), 'write: session 99 is closed or does not exist'],
    ['write a non-string', (api: ReturnType<typeof setup>['api']) => api.write('1', 42 as unknown as string), 'write: data must be a string, got number'],
    ['open with a silly size', (api: ReturnType<typeof setup>['api']) => api.openSession({ cols: 0, rows: 5 }, () => {}, () => {}), 'openSession: cols and rows must be integers from 1 to 1000, got 0×5'],
    ['set a speed out of range', (api: ReturnType<typeof setup>['api']) => api.setSpeed(1000), 'Clock speed must be between 0.25× and 100×, got 1000'],
    ['advance by a string', (api: ReturnType<typeof setup>['api']) => api.advance('5' as unknown as number), 'advance: ms must be a number, got string'],
  ])('refuses to %s with a clear error', (_name, act, message) => {
    const { api } = setup();
    api.openSession({ cols: 80, rows: 24 }, () => {}, () => {});
    expect(() => act(api)).toThrow(message);
  });

  it('saves the lab and loads it back through the API, a bad image refused with the lab untouched', async () => {
    const { api } = setup();
    api.pause();
    api.writeFile('/home/student/app.yaml', 'kind: ConfigMap\n');
    expect((await api.runCommand('kubectl create configmap settings --from-literal=a=b')).status).toBe(0);
    const image = api.saveLab();
    // Plain data: the same through JSON as through structured clone.
    expect(structuredClone(image)).toEqual(JSON.parse(JSON.stringify(image)));
    const savedAt = image.clock.now;
    api.advance(5000);
    api.writeFile('/home/student/app.yaml', 'changed\n');
    expect(() => api.loadLab({ ...image, version: 7 })).toThrow('loadLab: lab image: version 7 is newer than this Kubelab understands (1)');
    expect(() => api.loadLab('{}')).toThrow('loadLab: lab image: expected an object, got "{}"');
    expect(api.readFile('/home/student/app.yaml')).toBe('changed\n');
    const session = api.openSession({ cols: 80, rows: 24 }, () => {}, () => {});
    expect(api.loadLab(JSON.parse(JSON.stringify(image)))).toEqual({ lost: ["the containers' processes, memory and files, and the nodes' pulled images (the nodes rebooted and started their pods afresh)", '1 shell session'] });
    expect(() => api.write(session.id, 'x')).toThrow(`write: session ${session.id} is closed or does not exist`);
    expect(api.lab.clock.now()).toBe(savedAt);
    expect(api.readFile('/home/student/app.yaml')).toBe('kind: ConfigMap\n');
    expect((await api.runCommand('kubectl get configmap settings -o jsonpath={.data.a}')).stdout).toBe('b');

    await api.resetLab();
    expect(api.listFiles('/home/student')).toEqual([]);
    expect((await api.runCommand('kubectl get configmap settings')).stderr).toBe('Error from server (NotFound): configmaps "settings" not found\n');
  }, 60_000);

  it.each([
    [{ id: 'a', type: 'APPLY', path: ['write'] }, true],
    [{ id: 'a', type: 'GET' }, true],
    ['hello', false],
    [null, false],
    [{ type: 'APPLY' }, false],
    [{ id: 'a', type: 'DELETE_EVERYTHING' }, false],
    [{ id: 'a', type: 'APPLY', path: 'write' }, false],
  ])('recognises comlink messages: %j → %s', (message, expected) => {
    expect(isComlinkMessage(message)).toBe(expected);
  });
});
