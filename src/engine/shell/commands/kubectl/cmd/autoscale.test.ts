import { describe, expect, it } from 'vitest';
import { Lab } from '../../../../cluster/index.ts';
import { runKubectl } from '../testing.ts';

describe('kubectl autoscale through autoscaling/v1', () => {
  it('creates the HPA as v1, stored as v2 with a cpu Utilization metric, and gets and patches it in either version', async () => {
    const lab = new Lab({ seed: 1 });
    const kubectl = (line: string) => runKubectl(lab, line);
    await kubectl('create deployment web --image=nginx');
    expect(await kubectl('autoscale deploy/web --min=1 --max=5 --cpu-percent=50')).toEqual({ stdout: 'horizontalpodautoscaler.autoscaling/web autoscaled\n', stderr: '', code: 0 });
    expect((await kubectl('get hpa')).stdout).toBe('NAME   REFERENCE        TARGETS              MINPODS   MAXPODS   REPLICAS   AGE\nweb    Deployment/web   cpu: <unknown>/50%   1         5         0          0s\n');
    expect((await kubectl('get hpa web -o jsonpath={.apiVersion}{.spec.metrics}')).stdout).toBe('autoscaling/v2[{"resource":{"name":"cpu","target":{"averageUtilization":50,"type":"Utilization"}},"type":"Resource"}]');
    expect((await kubectl('get hpa.v1.autoscaling web -o jsonpath={.apiVersion}{.spec}{.status}')).stdout).toBe(
      'autoscaling/v1{"maxReplicas":5,"minReplicas":1,"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"targetCPUUtilizationPercentage":50}{"currentReplicas":0,"desiredReplicas":0}',
    );
    // Without --cpu-percent, v1's implied 80 % becomes an explicit metric.
    await kubectl('autoscale deploy/web --max=3 --name=other');
    expect((await kubectl('get hpa other -o jsonpath={.spec.metrics[0].resource.target.averageUtilization}')).stdout).toBe('80');
    expect(await kubectl(`patch hpa.v1.autoscaling other -p '{"spec":{"targetCPUUtilizationPercentage":60}}'`)).toEqual({ stdout: 'horizontalpodautoscaler.autoscaling/other patched\n', stderr: '', code: 0 });
    expect((await kubectl('get hpa other -o jsonpath={.spec.metrics}')).stdout).toBe('[{"resource":{"name":"cpu","target":{"averageUtilization":60,"type":"Utilization"}},"type":"Resource"}]');
    expect((await kubectl('api-versions')).stdout).toContain('autoscaling/v1\nautoscaling/v2\n');
  });
});
