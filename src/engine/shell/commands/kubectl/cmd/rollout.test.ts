import { describe, expect, it } from 'vitest';
import { Lab } from '../../../../cluster/index.ts';
import { runKubectl, WEB_DEPLOYMENT as DEPLOYMENT } from '../testing.ts';


describe('kubectl rollout, on a cluster whose controllers do not act', () => {
  it('runs a session as the real kubectl 1.32 prints it', async () => {
    const lab = new Lab({ seed: 1 });
    expect((await runKubectl(lab, 'apply -f -', DEPLOYMENT)).code).toBe(0);
    const steps: Array<[string, string, string, number]> = [
      ['rollout status deploy/web --watch=false', 'Waiting for deployment spec update to be observed...\n', '', 0],
      ['rollout history deploy/web', 'deployment.apps/web \nNo rollout history found.\n', '', 0],
      ['rollout history deploy/web --revision=1', 'deployment.apps/web with revision #1\nNo rollout history found.\n', '', 0],
      ['rollout undo deploy/web', '', 'error: no rollout history found for deployment "web"\n', 1],
      ['rollout undo deploy/web --to-revision=2', '', 'error: unable to find specified revision 2 in history\n', 1],
      ['rollout pause deploy/web', 'deployment.apps/web paused\n', '', 0],
      ['rollout pause deploy/web', '', 'error: deployments.apps "web" is already paused\n', 1],
      ['rollout restart deploy/web', '', `error: deployments.apps "web" can't restart paused deployment (run rollout resume first)\n`, 1],
      ['rollout resume deploy/web', 'deployment.apps/web resumed\n', '', 0],
      ['rollout resume deploy/web', '', 'error: deployments.apps "web" is not paused\n', 1],
      ['rollout restart deploy/web', 'deployment.apps/web restarted\n', '', 0],
      ['get deploy web -o jsonpath={.spec.template.metadata.annotations}', '{"kubectl.kubernetes.io/restartedAt":"2026-01-01T00:00:00Z"}', '', 0],
      ['rollout status cm/x', '', 'Error from server (NotFound): configmaps "x" not found\n', 1],
      ['set image deploy/web nginx=nginx:1.28', 'deployment.apps/web image updated\n', '', 0],
      ['set image deploy/web nginx=nginx:1.28', '', '', 0],
      ['set image deploy/web foo=bar', '', 'error: unable to find container named "foo"\n', 1],
      ['set env deploy/web A=1 B=2', 'deployment.apps/web env updated\n', '', 0],
      ['set env deploy/web A-', 'deployment.apps/web env updated\n', '', 0],
      ['set env deploy/web --list', '# Deployment web, container nginx\nB=2\n', '', 0],
      ['set env deploy/web -c foo X=1', '', 'Warning: Deployment/web does not have any containers matching "foo"\n', 0],
      ['set resources deploy/web --limits=cpu=200m,memory=512Mi', 'deployment.apps/web resource requirements updated\n', '', 0],
      ['set resources deploy/web', '', 'error: you must specify an update to requests or limits (in the form of --requests/--limits)\n', 1],
      ['set image deploy/web', '', 'error: at least one image update is required\n', 1],
    ];
    for (const [line, stdout, stderr, code] of steps) expect({ line, ...(await runKubectl(lab, line)) }).toEqual({ line, stdout, stderr, code });
  });
});
