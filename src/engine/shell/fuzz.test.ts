/**
 * Fuzz: seeded random inputs, mostly shell-flavoured characters, through the parser and a headless
 * session. Nothing may escape as an unhandled error; every run ends with a status.
 */
import { describe, expect, it } from 'vitest';
import { Clock } from '../base/clock.ts';
import { SeededRng } from '../base/seededRng.ts';
import { builtinCommands } from './commands/index.ts';
import { Session } from './session.ts';
import { IncompleteInput, ShellSyntaxError, parse } from './parser.ts';

const ALPHABET = 'ab echo$(){}[]|&;<>\'"`\\\n\t#~*?=-!:0123456789xyz if then fi for do done case esac in while EOF << >> 2>&1 ${#:-} $(( ))';
const ITERATIONS = 3000;

async function runScript(script: string): Promise<{ stderr: string; status: number }> {
  const session = new Session({ id: '1', clock: new Clock(), rng: new SeededRng(1), commands: builtinCommands(), tty: false });
  let stderr = '';
  session.onDidWrite((c) => (stderr += c.stream === 'stderr' ? c.text : ''));
  const status = await session.run(script);
  return { stderr, status };
}

function input(rng: SeededRng): string {
  const length = rng.int(40);
  let s = '';
  for (let i = 0; i < length; i++) s += rng.int(10) === 0 ? String.fromCharCode(rng.int(0x3000)) : ALPHABET[rng.int(ALPHABET.length)]!;
  return s;
}

describe('fuzz', () => {
  it(`parses ${ITERATIONS} random inputs to a script or a shell error`, () => {
    const rng = new SeededRng(42);
    for (let i = 0; i < ITERATIONS; i++) {
      const text = input(rng);
      try {
        parse(text, { atEof: rng.int(2) === 0, aliases: new Map([['k', 'kubectl'], ['ll', 'echo ll']]) });
      } catch (error) {
        if (!(error instanceof IncompleteInput || error instanceof ShellSyntaxError)) throw new Error(`input ${JSON.stringify(text)}`, { cause: error });
      }
    }
  });

  it(`runs ${ITERATIONS} random scripts headlessly to a status`, async () => {
    const rng = new SeededRng(7);
    for (let i = 0; i < ITERATIONS; i++) {
      const text = input(rng);
      const result = await runScript(text);
      expect(result.stderr, JSON.stringify(text)).not.toContain('internal error');
      expect(Number.isInteger(result.status), JSON.stringify(text)).toBe(true);
    }
  }, 60_000);
});
