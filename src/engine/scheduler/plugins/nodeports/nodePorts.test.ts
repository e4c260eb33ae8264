import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { Snapshot } from '../../cache/snapshot.ts';
import { CycleState } from '../../framework/cycleState.ts';
import { Code } from '../../framework/interface.ts';
import { makeNode, makePod } from '../../testing/wrappers.ts';
import { ERR_REASON, NodePorts } from './nodePorts.ts';

const plugin = new NodePorts();
const hp = (...ports: Array<[number, string?, string?]>) => {
  const w = makePod();
  for (const [port, proto, ip] of ports) w.hostPort(port, proto, ip);
  return w;
};

describe('NodePorts (node_ports_test.go)', () => {
  it.each<[string, Pod, Pod[], string]>([
    ['nothing running', hp([8080]).obj(), [], 'fits'],
    ['a pod without host ports skips', makePod().obj(), [hp([8080]).node('n').obj()], 'skip'],
    ['other port', hp([8080]).obj(), [hp([9090]).node('n').obj()], 'fits'],
    ['same port', hp([8080]).obj(), [hp([8080]).node('n').obj()], 'conflict'],
    ['same port, other protocol', hp([8080, 'UDP']).obj(), [hp([8080, 'TCP']).node('n').obj()], 'fits'],
    ['same port, other IPs', hp([8080, 'TCP', '127.0.0.1']).obj(), [hp([8080, 'TCP', '127.0.0.2']).node('n').obj()], 'fits'],
    ['0.0.0.0 against a specific IP', hp([8080, 'TCP', '0.0.0.0']).obj(), [hp([8080, 'TCP', '127.0.0.1']).node('n').obj()], 'conflict'],
    ['a specific IP against 0.0.0.0', hp([8080, 'TCP', '127.0.0.1']).obj(), [hp([8080, 'TCP', '0.0.0.0']).node('n').obj()], 'conflict'],
    ['second port conflicts', hp([8001], [8080]).obj(), [hp([8080]).node('n').obj()], 'conflict'],
  ])('%s', (_name, pod, existing, want) => {
    const state = new CycleState();
    const pre = plugin.preFilter(state, pod);
    if (pre.status?.code === Code.Skip) {
      expect(want).toBe('skip');
      return;
    }
    const s = plugin.filter(state, pod, Snapshot.fromObjects(existing, [makeNode().name('n').obj()]).get('n')!);
    if (want === 'fits') expect(s).toBeNull();
    else expect({ code: s?.code, reasons: s?.reasons }).toEqual({ code: Code.Unschedulable, reasons: [ERR_REASON] });
  });
});
