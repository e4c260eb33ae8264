import { describe, expect, it } from 'vitest';
import { Lab } from '../../../../cluster/index.ts';
import { runKubectl } from '../testing.ts';

describe('kubectl cordon, uncordon, drain and taint', () => {
  it('runs a session as the real kubectl 1.32 prints it', async () => {
    const lab = new Lab({ seed: 1 });
    expect((await runKubectl(lab, 'apply -f -', 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n')).code).toBe(0);
    const steps: Array<[string, string, string, number]> = [
      ['cordon n1', 'node/n1 cordoned\n', '', 0],
      ['cordon n1', 'node/n1 already cordoned\n', '', 0],
      ['uncordon n1', 'node/n1 uncordoned\n', '', 0],
      ['uncordon n1', 'node/n1 already uncordoned\n', '', 0],
      ['cordon nope', '', 'Error from server (NotFound): nodes "nope" not found\n', 1],
      ['drain n1', 'node/n1 cordoned\nnode/n1 drained\n', '', 0],
      ['drain n1 --force', 'node/n1 already cordoned\nnode/n1 drained\n', '', 0],
      ['taint nodes n1 k=v:NoSchedule', 'node/n1 tainted\n', '', 0],
      ['taint nodes n1 k=w:NoSchedule', '', 'error: node n1 already has k taint(s) with same effect(s) and --overwrite is false\n', 1],
      ['taint nodes n1 k=w:NoSchedule --overwrite', 'node/n1 modified\n', '', 0],
      ['get node n1 -o jsonpath={.spec.taints}', '[{"effect":"NoSchedule","key":"k","value":"w"}]', '', 0],
      ['taint nodes n1 k-', 'node/n1 untainted\n', '', 0],
      ['taint nodes n1 k-', '', 'error: taint "k" not found\n', 1],
      ['taint nodes n1 k=v:NoSchedule', 'node/n1 tainted\n', '', 0],
      ['taint nodes n1 k=v:NoSchedule-', 'node/n1 untainted\n', '', 0],
      ['taint nodes n1 k=v:NoSchedule-', '', 'error: taint "k:NoSchedule" not found\n', 1],
      ['taint nodes n1 k', '', 'error: at least one taint update is required\n', 1],
      ['taint nodes n1 k=v:Foo', '', "error: invalid taint effect: Foo, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n", 1],
      ['events', '', 'No events found in default namespace.\n', 0],
      ['events -A', '', 'No events found.\n', 0],
      ['events --types=Foo', '', 'error: valid --types are Normal or Warning\n', 1],
      ['events --for web', '', 'error: --for must be in resource/name form\n', 1],
    ];
    for (const [line, stdout, stderr, code] of steps) expect({ line, ...(await runKubectl(lab, line)) }).toEqual({ line, stdout, stderr, code });
  });
});
