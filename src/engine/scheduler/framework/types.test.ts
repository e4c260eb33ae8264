import { describe, expect, it } from 'vitest';
import { makePod } from '../testing/wrappers.ts';
import { Code, Status } from './interface.ts';
import { Diagnosis, FitError, HostPortInfo } from './types.ts';

function fitError(numAllNodes: number, statuses: Array<[string, Status]>, extra: { pre?: string; post?: string; absent?: Status } = {}): string {
  const d = new Diagnosis();
  for (const [n, s] of statuses) d.nodeToStatus.set(n, s);
  if (extra.pre) d.preFilterMsg = extra.pre;
  if (extra.post) d.postFilterMsg = extra.post;
  if (extra.absent) d.nodeToStatus.setAbsentNodesStatus(extra.absent);
  return new FitError(makePod().obj(), numAllNodes, d).message();
}

const cpu = Status.of(Code.Unschedulable, 'Insufficient cpu');
const taint = Status.of(Code.UnschedulableAndUnresolvable, 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }');

describe('FitError message (types.go)', () => {
  it.each([
    ['reasons counted per node and sorted as strings', fitError(3, [['a', cpu], ['b', taint], ['c', cpu]]), '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.'],
    ['a node with several reasons counts each', fitError(1, [['a', Status.of(Code.Unschedulable, 'Insufficient cpu', 'Insufficient memory')]]), '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.'],
    [
      'string order puts 10 before 2, as Go does',
      fitError(12, [...Array.from({ length: 10 }, (_, i) => [`c${i}`, cpu] as [string, Status]), ['t1', taint], ['t2', taint]]),
      '0/12 nodes are available: 10 Insufficient cpu, 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.',
    ],
    ['the PreFilter message replaces per-node reasons', fitError(3, [], { pre: 'pod affinity terms conflict', absent: Status.of(Code.UnschedulableAndUnresolvable, 'pod affinity terms conflict') }), '0/3 nodes are available: pod affinity terms conflict.'],
    [
      'nodes absent from the map count the shared status',
      fitError(3, [['a', cpu]], { absent: Status.of(Code.UnschedulableAndUnresolvable, "node(s) didn't satisfy plugin(s) [NodeAffinity]") }),
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].",
    ],
    ['the PostFilter message follows', fitError(1, [['a', cpu]], { post: 'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.' }), '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.'],
  ])('%s', (_name, got, want) => {
    expect(got).toBe(want);
  });
});

describe('HostPortInfo (types.go)', () => {
  it.each<[string, Array<[string, string, number]>, [string, string, number], boolean]>([
    ['free', [['127.0.0.1', 'TCP', 80]], ['127.0.0.1', 'TCP', 8080], false],
    ['same ip, protocol and port', [['127.0.0.1', 'TCP', 80]], ['127.0.0.1', 'TCP', 80], true],
    ['0.0.0.0 conflicts with any ip', [['127.0.0.1', 'TCP', 80]], ['0.0.0.0', 'TCP', 80], true],
    ['any ip conflicts with 0.0.0.0', [['0.0.0.0', 'TCP', 80]], ['127.0.0.2', 'TCP', 80], true],
    ['empty ip and protocol are 0.0.0.0 and TCP', [['', '', 80]], ['10.0.0.1', 'TCP', 80], true],
    ['other protocol', [['0.0.0.0', 'TCP', 80]], ['0.0.0.0', 'UDP', 80], false],
    ['port 0 never conflicts', [['0.0.0.0', 'TCP', 0]], ['0.0.0.0', 'TCP', 0], false],
  ])('%s', (_name, used, [ip, proto, port], want) => {
    const h = new HostPortInfo();
    for (const [i, p, n] of used) h.add(i, p, n);
    expect(h.checkConflict(ip, proto, port)).toBe(want);
  });
});
