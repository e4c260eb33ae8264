import { describe, expect, it } from 'vitest';
import { Lab } from '../../../cluster/index.ts';
import { runKubectl } from './testing.ts';

describe('kubectl: command and flag errors, with the real kubectl 1.32 texts', () => {
  it.each([
    ['foo', 'Error: unknown command "foo" for "kubectl"\n\nDid you mean this?\n\ttop\n\n'],
    ['gett', 'Error: unknown command "gett" for "kubectl"\n\nDid you mean this?\n\tset\n\tget\n\n'],
    ['ap', 'Error: unknown command "ap" for "kubectl"\n\nDid you mean this?\n\ttop\n\tcp\n\tapply\n\tapi-versions\n\tapi-resources\n\n'],
    ['DESCRIB', 'Error: unknown command "DESCRIB" for "kubectl"\n\nDid you mean this?\n\tdescribe\n\n'],
    ['hel', 'Error: unknown command "hel" for "kubectl"\n\nDid you mean this?\n\tset\n\tget\n\n'],
    ['qqqqq', 'Error: unknown command "qqqqq" for "kubectl"\n'],
    ['config use-contex', "error: unknown command \"use-contex\"\nSee 'kubectl config -h' for help and examples\n"],
    ['auth foo', "error: unknown command \"foo\"\nSee 'kubectl auth -h' for help and examples\n"],
    ['get --foo', "Error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n"],
    ['label -x', "Error: unknown shorthand flag: 'x' in -x\nSee 'kubectl label --help' for usage.\n"],
    ['get -n', "Error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.\n"],
    ['get --show-labels=maybe', 'Error: invalid argument "maybe" for "--show-labels" flag: strconv.ParseBool: parsing "maybe": invalid syntax\nSee \'kubectl get --help\' for usage.\n'],
  ])('kubectl %s', async (line, stderr) => {
    expect(await runKubectl(new Lab({ seed: 1 }), line)).toEqual({ stdout: '', stderr, code: 1 });
  });

  it('prints a command group’s help to stderr and fails when run alone', async () => {
    const result = await runKubectl(new Lab({ seed: 1 }), 'auth');
    expect({ ...result, stderr: result.stderr.split('\n')[0] }).toEqual({ stdout: '', stderr: 'Inspect authorization.', code: 1 });
  });
});
