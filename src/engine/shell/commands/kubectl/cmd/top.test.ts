import { describe, expect, it } from 'vitest';
import { Lab } from '../../../../cluster/lab.ts';
import { metricsLab } from '../../../../metrics/testing.ts';
import { settle } from '../../../../testing/testCluster.ts';
import { runKubectl } from '../testing.ts';

describe('kubectl top', () => {
  it('says the Metrics API is not available without metrics-server', async () => {
    const lab = new Lab({ seed: 1 });
    expect(await runKubectl(lab, 'top pod')).toEqual({ stdout: '', stderr: 'error: Metrics API not available\n', code: 1 });
    expect(await runKubectl(lab, 'top node')).toEqual({ stdout: '', stderr: 'error: Metrics API not available\n', code: 1 });
  });

  it('prints nodes and pods as kubectl 1.32 does, once two scrapes exist', async () => {
    const { lab, tick } = await metricsLab(settle);
    expect(await runKubectl(lab, 'top node')).toEqual({ stdout: '', stderr: 'error: metrics not available yet\n', code: 1 });
    expect(await runKubectl(lab, 'top pod')).toEqual({ stdout: '', stderr: 'error: metrics not available yet\n', code: 1 });
    await tick(15_000);
    expect(await runKubectl(lab, 'top node')).toEqual({
      stdout: ['NAME       CPU(cores)   CPU(%)      MEMORY(bytes)   MEMORY(%)   ', 'worker-1   800m         20%         1536Mi          9%          ', 'worker-2   <unknown>    <unknown>   <unknown>       <unknown>   ', ''].join('\n'),
      stderr: '',
      code: 0,
    });
    expect((await runKubectl(lab, 'top pod')).stdout).toBe(['NAME    CPU(cores)   MEMORY(bytes)   ', 'web-1   252m         6Mi             ', ''].join('\n'));
    expect((await runKubectl(lab, 'top pod -A --containers --sort-by=memory')).stdout).toBe(
      [
        'NAMESPACE     POD       NAME      CPU(cores)   MEMORY(bytes)   ',
        'kube-system   coredns   coredns   3m           12Mi            ',
        'default       web-1     app       250m         5Mi             ',
        'default       web-1     log       2m           1Mi             ',
        '',
      ].join('\n'),
    );
    expect((await runKubectl(lab, 'top pods -A --sum --no-headers --sort-by=cpu')).stdout).toBe(
      // Without headers the total's columns are counted without NAMESPACE, as upstream counts them.
      ['default       web-1      252m       6Mi    ', 'kube-system   coredns    3m         12Mi   ', '              ________   ________   ', '              255m       18Mi       ', ''].join('\n'),
    );
    expect(await runKubectl(lab, 'top pod -l app=db')).toEqual({ stdout: '', stderr: 'error: metrics not available yet\n', code: 1 });
    expect(await runKubectl(lab, 'top pod -l app=none')).toEqual({ stdout: '', stderr: 'No resources found in default namespace.\n', code: 0 });
    expect(await runKubectl(lab, 'top pod db-1')).toEqual({ stdout: '', stderr: 'Error from server (NotFound): podmetrics.metrics.k8s.io "default/db-1" not found\n', code: 1 });
    await tick(150_000);
    expect(await runKubectl(lab, 'top pod -l app=db')).toEqual({ stdout: '', stderr: 'error: Metrics not available for pod default/db-1, age: 2m45s\n', code: 1 });
    lab.cluster.shutdown();
  });

  it.each([
    ['top pod --sort-by=name', 'error: --sort-by accepts only cpu or memory\n'],
    ['top pod web -l app=web', 'error: only one of NAME or --selector can be provided\n'],
    ['top node a b', "error: top node [NAME | -l label]\nSee 'kubectl top node -h' for help and examples\n"],
  ])('kubectl %s', async (line, stderr) => {
    expect(await runKubectl(new Lab({ seed: 1 }), line)).toEqual({ stdout: '', stderr, code: 1 });
  });
});
