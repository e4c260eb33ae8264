import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../../../cluster/index.ts';
import { runKubectl } from '../testing.ts';

/** ../explain/testdata/explain.json: `kubectl explain <args>` by the real kubectl 1.32 against the lab's apiserver. */
interface Case {
  args: string;
  stdout: string;
  stderr: string;
  code: number;
}

const cases = JSON.parse(readFileSync(new URL('../explain/testdata/explain.json', import.meta.url), 'utf8')) as Case[];

describe('kubectl explain prints what kubectl 1.32 prints', () => {
  const lab = new Lab({ seed: 1 });
  beforeAll(() => lab.cluster.apiserver.openapi.load());

  it.each(cases.map((c) => [c.args, c] as const))('kubectl explain %s', async (args, want) => {
    expect(await runKubectl(lab, `explain ${args}`)).toEqual({ stdout: want.stdout, stderr: want.stderr, code: want.code });
  });
});

describe('kubectl explain before the apiserver has its OpenAPI documents', () => {
  it('falls back to /openapi/v2, which the lab does not serve', async () => {
    expect(await runKubectl(new Lab({ seed: 1 }), 'explain pods')).toEqual({ stdout: '', stderr: 'Error from server (NotFound): the server could not find the requested resource\n', code: 1 });
  });

  it('names the failed index for a format other than plaintext', async () => {
    const result = await runKubectl(new Lab({ seed: 1 }), 'explain pods -o json');
    expect(result).toMatchObject({ stdout: '', code: 1 });
    expect(result.stderr).toMatch(/^error: failed to fetch list of groupVersions: /);
  });
});
