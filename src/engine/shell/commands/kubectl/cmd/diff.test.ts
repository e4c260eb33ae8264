import { describe, expect, it } from 'vitest';
import { Lab } from '../../../../cluster/index.ts';
import { runHeadless } from '../../../../cluster/headless.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Run a script in a fresh lab's shell; the lab is returned for a look at its files. */
async function run(script: string) {
  const lab = new Lab({ seed: 5 });
  let stdout = '';
  let stderr = '';
  const status = await runHeadless(lab, script, { yieldToHost, onOutput: (c) => (c.stream === 'stdout' ? (stdout += c.text) : (stderr += c.text)) });
  return { status, stdout, stderr, lab };
}

const web = `cat > web.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
EOF
`;

const LIVE = /\/tmp\/LIVE-\d+/g;
const MERGED = /\/tmp\/MERGED-\d+/g;
const clean = (s: string) => s.replace(LIVE, '/tmp/LIVE').replace(MERGED, '/tmp/MERGED');

describe('kubectl diff', () => {
  it('shows a new object as all added, from an empty LIVE file, and exits 1', async () => {
    const { status, stdout } = await run(`${web}kubectl diff -f web.yaml`);
    expect(status).toBe(1);
    const lines = clean(stdout).split('\n');
    expect(lines[0]).toBe('diff -u -N /tmp/LIVE/apps.v1.Deployment.default.web /tmp/MERGED/apps.v1.Deployment.default.web');
    expect(lines[1]).toMatch(/^--- \/tmp\/LIVE\/apps\.v1\.Deployment\.default\.web\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000$/);
    expect(lines[2]).toMatch(/^\+\+\+ \/tmp\/MERGED\/apps\.v1\.Deployment\.default\.web\t/);
    expect(lines[3]).toBe('@@ -0,0 +1,42 @@');
    expect(lines).toContain('+  replicas: 1');
    expect(lines).toContain('+  namespace: default');
  });

  it('shows what apply would change, as a unified diff of the YAML, and nothing once applied', async () => {
    const { status, stdout } = await run(`${web}kubectl apply -f web.yaml > log
sed 's/replicas: 1/replicas: 3/' web.yaml > web3.yaml
kubectl diff -f web3.yaml; echo "status $?"
kubectl diff -f web.yaml; echo "status $?"
ls /tmp | wc -l`);
    expect(status).toBe(0);
    expect(clean(stdout)).toContain('@@ -14,7 +14,7 @@\n   uid: ');
    expect(stdout).toContain(' spec:\n   progressDeadlineSeconds: 600\n-  replicas: 1\n+  replicas: 3\n');
    expect(stdout).toContain('-  generation: 1\n+  generation: 2\n');
    expect(stdout.endsWith('status 1\nstatus 0\n0\n')).toBe(true);
  });

  it.each([
    ['KUBECTL_EXTERNAL_DIFF=nodiff kubectl diff -f web.yaml', 'error: failed to run "nodiff": executable file not found in $PATH\n'],
    ["KUBECTL_EXTERNAL_DIFF='diff --nope' kubectl diff -f web.yaml", "diff: unrecognized option '--nope'\ndiff: Try 'diff --help' for more information.\nerror: failed to run \"diff\": exit status 2\n"],
    ['kubectl diff', 'error: must specify one of -f and -k\n'],
    ['kubectl diff --foo', "error: unknown flag: --foo\nSee 'kubectl diff -h' for help and examples\n"],
    ['kubectl diff -f web.yaml x', "error: Unexpected args: [x]\nSee 'kubectl diff -h' for help and examples\n"],
    ['kubectl diff -f web.yaml --force-conflicts', 'error: --force-conflicts only works with --server-side\n'],
    ['kubectl diff -f web.yaml -n nons', 'Error from server (NotFound): namespaces "nons" not found\n'],
  ])('fails with status 2: %s', async (line, stderr) => {
    const result = await run(`${web}${line}`);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 2, stderr });
  });

  it('passes KUBECTL_EXTERNAL_DIFF its plain extra words only', async () => {
    const { status, stdout } = await run(`${web}KUBECTL_EXTERNAL_DIFF='diff -q /x' kubectl diff -f web.yaml`);
    expect({ status, stdout: clean(stdout) }).toEqual({ status: 1, stdout: 'Files /tmp/LIVE/apps.v1.Deployment.default.web and /tmp/MERGED/apps.v1.Deployment.default.web differ\n' });
  });

  it('masks the values of a Secret', async () => {
    const { stdout } = await run(`kubectl create secret generic s --from-literal=password=old --from-literal=user=me > log
kubectl create secret generic s --from-literal=password=new --from-literal=user=me --from-literal=extra=x --dry-run=client -o yaml > s.yaml
kubectl diff -f s.yaml`);
    expect(stdout).toContain('-  password: \'*** (before)\'\n+  extra: \'***\'\n+  password: \'*** (after)\'\n   user: \'***\'\n');
  });

  it('diffs only the objects that match -l', async () => {
    const { stdout } = await run(`printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: a\\n  labels:\\n    tier: x\\n' > a.yaml
printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: b\\n' > b.yaml
kubectl diff -f a.yaml -f b.yaml -l tier=x`);
    expect(clean(stdout).split('\n')[0]).toBe('diff -u -N /tmp/LIVE/v1.ConfigMap.default.a /tmp/MERGED/v1.ConfigMap.default.a');
    expect(stdout).toContain('+    tier: x\n');
    expect(stdout.match(/^diff /gm)).toHaveLength(1);
  });
});
