import { describe, expect, it } from 'vitest';
import { RestClient } from '../../../../client/rest/restClient.ts';
import { Lab } from '../../../../cluster/index.ts';
import { kubectl } from '../kubectl.ts';
import { kubectlContext, runKubectl, WEB_DEPLOYMENT as DEPLOYMENT } from '../testing.ts';

const deployments = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };

async function labWithDeployment(): Promise<Lab> {
  const lab = new Lab({ seed: 1 });
  expect((await runKubectl(lab, 'apply -f -', DEPLOYMENT)).code).toBe(0);
  return lab;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 100; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Start `kubectl line`, let it reach its watch, and hand back its result to await. */
async function start(lab: Lab, line: string) {
  const { ctx, out } = kubectlContext(lab, line);
  const done = Promise.resolve(kubectl(ctx)).then((code) => ({ ...out, code }));
  await settle();
  return { done };
}

describe('kubectl wait', () => {
  it.each([
    ['wait --for=condition=Available deploy/web --timeout=0', { stdout: '', stderr: 'error: condition not met for deployments/web\n', code: 1 }],
    ['wait --for=jsonpath={.spec.replicas}=3 deploy/web', { stdout: 'deployment.apps/web condition met\n', stderr: '', code: 0 }],
    ['wait --for=delete deploy/nope', { stdout: '', stderr: '', code: 0 }],
    ['wait --for=condition=Available deploy/nope', { stdout: '', stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n', code: 1 }],
    ['wait --for=condition=Available deploy', { stdout: '', stderr: 'error: resource(s) were provided, but no name was specified\n', code: 1 }],
    ['wait --for=condition=Available deploy -l app=none', { stdout: '', stderr: 'error: no matching resources found\n', code: 1 }],
    ['wait --for=foo deploy/web', { stdout: '', stderr: 'error: unrecognized condition: "foo"\n', code: 1 }],
  ])('kubectl %s', async (line, want) => {
    const lab = await labWithDeployment();
    expect(await runKubectl(lab, line)).toEqual(want);
  });

  it('times out on the virtual clock when no controller makes the deployment available', async () => {
    const lab = await labWithDeployment();
    const { done: result } = await start(lab, 'wait --for=condition=Available deploy/web --timeout=30s');
    lab.clock.advance(29_999);
    await settle();
    lab.clock.advance(1);
    expect(await result).toEqual({ stdout: '', stderr: 'error: timed out waiting for the condition on deployments/web\n', code: 1 });
  });

  it('sees the condition arrive through its watch', async () => {
    const lab = await labWithDeployment();
    const { done: result } = await start(lab, 'wait --for=condition=Available deploy/web');
    const client = new RestClient(lab.kube.transport).resource(deployments);
    const live = await client.get('default', 'web');
    await client.updateStatus('default', { ...live, status: { observedGeneration: 1, conditions: [{ type: 'Available', status: 'True' }] } });
    expect(await result).toEqual({ stdout: 'deployment.apps/web condition met\n', stderr: '', code: 0 });
  });
});
