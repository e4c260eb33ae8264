import { describe, expect, it } from 'vitest';
import { Lab } from '../../engine/cluster/lab.ts';
import type { TraceEvent } from '../../engine/trace/traceEvent.ts';
import type { Check } from '../../lessons/format/types.ts';
import { checksTraceFilter, createLessonApi, LAB_CHANGE_DELAY_MS, RECHECK_MS, type LessonHost } from './lessonApi.ts';
import { evaluateCheck, judge, runLive, runStepped } from './lessonRunner.ts';

/** Wall-time timers fired by hand; a 0 ms timer (a yield) runs on the next macrotask. */
function host() {
  const timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  let wall = 0;
  const h: LessonHost = {
    setTimer(fn, ms) {
      if (ms === 0) {
        setImmediate(fn);
        return () => {};
      }
      const t = { at: wall + ms, fn, live: true };
      timers.push(t);
      return () => (t.live = false);
    },
  };
  return {
    h,
    pass(ms: number) {
      wall += ms;
      for (const t of timers) {
        if (t.live && t.at <= wall) {
          t.live = false;
          t.fn();
        }
      }
    },
  };
}

const settle = async () => {
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
};

const check = (id: string, command: string, expect: Check['expect'], session = 'laptop'): Check => ({ id, session, command, expect, hints: {} });

async function startedLab() {
  const lab = new Lab({ seed: 3 });
  const { h, pass } = host();
  const api = createLessonApi(lab, h);
  const began = lab.clock.now();
  await api.startLesson({
    workers: 1,
    files: { '/home/student/app/notes.txt': 'hello\n' },
    manifests: ['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: lab\n'],
    setup: [{ session: 'laptop', run: 'kubectl create namespace shop' }],
    clock: { advance: '30s', paused: true },
  });
  return { lab, api, pass, began };
}

describe('the lesson API', () => {
  it('builds a starting cluster: its workers, files, manifests, setup and clock', async () => {
    const { lab, api, began } = await startedLab();
    expect(lab.shellHosts().map((h) => h.name)).toEqual(['worker-1', 'docker-host']);
    expect(lab.fs.readFile('/home/student/app/notes.txt')).toBe('hello\n');
    expect(lab.clock.state.paused).toBe(true);
    expect(lab.clock.now() - began).toBeGreaterThanOrEqual(30_000);
    expect(await api.evaluateChecks([check('cm', "kubectl get configmap settings -o jsonpath='{.data.mode}'", { output: 'lab' }), check('ns', 'kubectl get namespace shop -o json', { jsonpath: '{.status.phase}', equals: 'Active' }), check('nodes', 'kubectl get nodes -o json', { jsonpath: '{.items[1].status.conditions[?(@.type=="Ready")].status}', equals: 'True' })])).toEqual([
      { id: 'cm', passed: true },
      { id: 'ns', passed: true },
      { id: 'nodes', passed: true },
    ]);
  });

  it('says so when a check names a session the lab does not have', async () => {
    const { api } = await startedLab();
    expect(await api.evaluateChecks([check('w2', 'true', { status: 0 }, 'worker-2')])).toEqual([{ id: 'w2', passed: false, failure: 'status', detail: 'no session named "worker-2" in this lab (laptop, worker-1, docker-host, pod/NAME, container/NAME)' }]);
  });

  it('runs a check on a node, and in a container of a pod', async () => {
    const { lab } = await startedLab();
    const yieldToHost = () => new Promise<void>((r) => setImmediate(r));
    expect((await runStepped(lab, 'kubectl run box --image=busybox -- sleep 3600 && kubectl wait --for=condition=Ready pod/box --timeout=120s', {}, yieldToHost)).status).toBe(0);
    const run = (script: string, target: Parameters<typeof runStepped>[2]) => runStepped(lab, script, target, yieldToHost);
    expect(await evaluateCheck(check('host', 'hostname', { output: 'worker-1' }, 'worker-1'), run)).toEqual({ id: 'host', passed: true });
    expect(await evaluateCheck(check('pod', 'hostname; echo "$0"', { output: 'box\nsh' }, 'pod/box'), run)).toEqual({ id: 'pod', passed: true });
    expect(await evaluateCheck(check('quote', "echo 'it''s'", { output: 'its' }, 'pod/box'), run)).toEqual({ id: 'quote', passed: true });
  });

  it('watches a step’s checks: again a moment after the lab changes, and only the changes are told', async () => {
    const { lab, api, pass } = await startedLab();
    const told: unknown[] = [];
    const id = api.watchChecks([check('web', 'kubectl get namespace web', { status: 0 })], (r) => told.push(r));
    await settle();
    expect(told).toEqual([[{ id: 'web', passed: false, failure: 'status', detail: 'exit status 1, expected 0 (Error from server (NotFound): namespaces "web" not found)' }]]);
    // The lab changed, but not what the check reads: evaluated again, nothing told.
    api.labChanged();
    pass(LAB_CHANGE_DELAY_MS);
    await settle();
    expect(told).toHaveLength(1);
    // The student creates the namespace (on the paused clock): the check passes.
    await runLive(lab, 'kubectl create namespace web', {});
    api.labChanged();
    pass(LAB_CHANGE_DELAY_MS);
    await settle();
    expect(told.at(-1)).toEqual([{ id: 'web', passed: true }]);
    // After unwatch nothing more is told.
    api.unwatchChecks(id);
    await runLive(lab, 'kubectl delete namespace web --wait=false', {});
    api.labChanged();
    pass(RECHECK_MS * 3);
    await settle();
    expect(told).toHaveLength(2);
    expect(() => api.unwatchChecks(id)).toThrow(`unwatchChecks: no watch "${id}"`);
  });

  it('solves a step as the student would, on the blocks’ sessions', async () => {
    const { lab, api } = await startedLab();
    const results = await api.solveStep([
      { session: 'laptop', commands: 'echo done > ~/done.txt' },
      { session: 'worker-1', commands: 'hostname' },
    ]);
    expect(results.map((r) => [r.status, r.stdout])).toEqual([
      [0, ''],
      [0, 'worker-1\n'],
    ]);
    expect(lab.fs.readFile('/home/student/done.txt')).toBe('done\n');
    await expect(api.solveStep([{ session: 'worker-9', commands: 'ls' }])).rejects.toThrow('solveStep: block 1: no session named "worker-9"');
  });

  it.each([
    ['evaluateChecks', (api: ReturnType<typeof createLessonApi>) => api.evaluateChecks([]), 'evaluateChecks: expected a list of 1 to 20 checks'],
    ['evaluateChecks', (api: ReturnType<typeof createLessonApi>) => api.evaluateChecks([{ id: 'a', session: 'laptop', command: 'ls', expect: { outptu: 'x' }, hints: {} } as never]), 'evaluateChecks: check 1: expect: unknown field "outptu"'],
    ['watchChecks', (api: ReturnType<typeof createLessonApi>) => api.watchChecks([check('a', 'ls', { status: 0 })], 'nope' as never), 'watchChecks: expected a callback'],
    ['startLesson', (api: ReturnType<typeof createLessonApi>) => api.startLesson({ workers: 12 }), 'startLesson: start.workers: 12 is more than 4'],
  ])('%s refuses bad arguments, saying what is wrong', async (_name, call, message) => {
    const api = createLessonApi(new Lab({ seed: 1 }), host().h);
    await expect(async () => call(api)).rejects.toThrow(message);
  });
});

describe('judge', () => {
  const c = (expect: Check['expect']) => check('c', 'x', expect);
  const ok = (stdout: string, status = 0) => ({ status, stdout, stderr: '' });
  it.each([
    ['a different status, with what the command said', c({ status: 0 }), { status: 1, stdout: '', stderr: 'Error: No such object: web\n' }, { failure: 'status', detail: 'exit status 1, expected 0 (Error: No such object: web)' }],
    ['an expected failure', c({ status: 1 }), ok('', 1), undefined],
    ['exact output, trailing space ignored', c({ output: 'true' }), ok('true\n'), undefined],
    ['other output', c({ output: 'true' }), ok('false\n'), { failure: 'output', detail: 'the output is "false", expected "true"' }],
    ['a match', c({ match: '^nginx: master' }), ok('root 1\nnginx: master process\n'), undefined],
    ['no match', c({ match: '^nginx' }), ok('bash\n'), { failure: 'output', detail: 'the output "bash" does not match /^nginx/' }],
    ['a jsonpath number', c({ jsonpath: '{.status.readyReplicas}', atLeast: 3 }), ok('{"status":{"readyReplicas":1}}'), { failure: 'output', detail: '{.status.readyReplicas} is 1, expected at least 3' }],
    ['a jsonpath string', c({ jsonpath: '{.status.phase}', equals: 'Running' }), ok('{"status":{"phase":"Pending"}}'), { failure: 'output', detail: '{.status.phase} is "Pending", expected "Running"' }],
    ['a jsonpath at most', c({ jsonpath: '{.spec.replicas}', atMost: 2 }), ok('{"spec":{"replicas":2}}'), undefined],
    ['a missing field', c({ jsonpath: '{.status.readyReplicas}', equals: 3 }), ok('{"status":{}}'), { failure: 'missing', detail: '{.status.readyReplicas} is not set' }],
    ['output that is not JSON', c({ jsonpath: '{.a}', equals: 1 }), ok('NAME READY\n'), { failure: 'missing', detail: 'the output is not JSON, so {.a} cannot be read from it: "NAME READY"' }],
    ['a jsonpath matched', c({ jsonpath: '{.metadata.name}', match: '^web-' }), ok('{"metadata":{"name":"web-abc"}}'), undefined],
  ] as const)('%s', (_what, theCheck, result, failed) => {
    expect(judge(theCheck, result)).toEqual(failed ? { id: 'c', passed: false, ...failed } : { id: 'c', passed: true });
  });
});

describe('checksTraceFilter', () => {
  it('drops the checks’ API requests and keeps the student’s', async () => {
    const lab = new Lab({ seed: 2 });
    const events: TraceEvent[] = [];
    lab.cluster.trace.onDidTrace((e) => events.push(e));
    await runLive(lab, 'kubectl get namespaces', { lessonChecks: true });
    await runLive(lab, 'kubectl get pods', {});
    const keep = checksTraceFilter();
    const users = (list: TraceEvent[]) => new Set(list.flatMap((e) => (e.component === 'apiserver' && e.stage === 'authentication' ? [e.detail] : [])));
    expect(users(events)).toContain('kubelab:lesson-checks');
    expect(users(events.filter(keep))).toContain('kubernetes-admin');
    expect(users(events.filter(keep))).not.toContain('kubelab:lesson-checks');
    expect(events.filter(keep).some((e) => e.component === 'apiserver' && e.resource === 'namespaces')).toBe(false);
    expect(events.filter(keep).some((e) => e.component === 'apiserver' && e.resource === 'pods')).toBe(true);
  });

  it('leaves no session record behind a check', async () => {
    const lab = new Lab({ seed: 2 });
    const sessions = () => Object.values(lab.snapshot().added).filter((r) => r.typeName === 'session').length;
    await runLive(lab, 'true', { lessonChecks: true });
    expect(sessions()).toBe(0);
    await runLive(lab, 'true', {});
    expect(sessions()).toBe(1);
  });
});
