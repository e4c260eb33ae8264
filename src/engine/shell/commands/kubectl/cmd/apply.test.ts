import { describe, expect, it } from 'vitest';
import { Lab } from '../../../../cluster/index.ts';
import { runKubectl } from '../testing.ts';

describe('kubectl apply, create, delete, label: errors, with the real kubectl 1.32 texts', () => {
  it.each([
    ['apply -f /nowhere.yaml', 'error: the path "/nowhere.yaml" does not exist\n'],
    ['create -f nope.yaml', 'error: the path "nope.yaml" does not exist\n'],
    ['delete -f missing.yaml', 'error: the path "missing.yaml" does not exist\n'],
    ['delete cm nope', 'Error from server (NotFound): configmaps "nope" not found\n'],
    ['label cm nope a=b', 'Error from server (NotFound): configmaps "nope" not found\n'],
    ['delete cm -l a!!b', 'Error from server (BadRequest): Unable to find "/v1, Resource=configmaps" that match label selector "a!!b", field selector "": unable to parse requirement: found \'!\', expected: in, notin, =, ==, !=, gt, lt\n'],
    ['apply', 'error: must specify one of -f and -k\n'],
    ['apply -f m.yaml --foo', "Error: unknown flag: --foo\nSee 'kubectl apply --help' for usage.\n"],
  ])('kubectl %s', async (line, stderr) => {
    expect(await runKubectl(new Lab({ seed: 1 }), line)).toEqual({ stdout: '', stderr, code: 1 });
  });
});
