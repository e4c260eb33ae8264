import { describe, expect, it } from 'vitest';
import { NULL_STDIO, Pipe } from './stdio.ts';

describe('Pipe', () => {
  it('delivers writes in order to reads made before and after them, then end of file once closed', async () => {
    const pipe = new Pipe();
    const early = pipe.source.read();
    pipe.sink.write('a');
    pipe.sink.write('b');
    expect(await early).toBe('a');
    expect(await pipe.source.read()).toBe('b');
    const pending = pipe.source.read();
    pipe.close();
    expect(await pending).toBeUndefined();
    pipe.sink.write('late');
    expect(await pipe.source.read()).toBeUndefined();
  });

  it('keeps data written before the close for the reader', async () => {
    const pipe = new Pipe();
    pipe.sink.write('last words');
    pipe.close();
    expect(await pipe.source.read()).toBe('last words');
    expect(await pipe.source.read()).toBeUndefined();
  });
});

describe('NULL_STDIO', () => {
  it('reads end of file', async () => {
    expect(await NULL_STDIO.stdin.read()).toBeUndefined();
  });
});
