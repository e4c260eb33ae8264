import { describe, expect, it } from 'vitest';
import { free } from './free.ts';
import { FREE_HELP } from './helpTexts.ts';
import { goldenCases, hostFileSystem, HOST, runOnHost, SELF } from './testing.ts';

// procps-ng 4.0.2's free, each run on the /proc/meminfo it read.
describe('free against procps-ng on the same /proc/meminfo', () => {
  it.each(goldenCases('free'))('%s', async (line, g) => {
    const result = await runOnHost(free, line, hostFileSystem(HOST, { self: SELF, files: g.files }));
    expect(result).toEqual({ status: g.status, stdout: g.stdout, stderr: g.stderr });
  });
});

describe('free', () => {
  it.each([
    ['free -x', "free: invalid option -- 'x'\n"],
    ['free --bogus', "free: unrecognized option '--bogus'\n"],
  ])('%s prints its usage', async (line, message) => {
    expect(await runOnHost(free, line, hostFileSystem(HOST, { self: SELF }))).toEqual({ status: 1, stdout: '', stderr: message + FREE_HELP });
  });
});
