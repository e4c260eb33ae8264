import { describe, expect, it } from 'vitest';
import { WatchStream } from './http.ts';

describe('WatchStream', () => {
  it('keeps lines written before anyone listens, then delivers live ones', () => {
    const s = new WatchStream();
    s.write('a');
    s.write('b');
    const seen: string[] = [];
    s.onEvent((l) => seen.push(l));
    s.write('c');
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('ends once, after the buffered lines, even when it ended before anyone listened', () => {
    const s = new WatchStream();
    s.write('a');
    s.end();
    s.write('ignored');
    const seen: string[] = [];
    s.onEnd(() => seen.push('end'));
    s.onEvent((l) => seen.push(l));
    expect(seen).toEqual(['a', 'end']);
  });

  it('stop() runs the server-side stopper and ends the stream', () => {
    const s = new WatchStream();
    let stopped = 0;
    s.setStopper(() => stopped++);
    const seen: string[] = [];
    s.onEvent((l) => seen.push(l));
    s.onEnd(() => seen.push('end'));
    s.stop();
    s.stop();
    expect(stopped).toBe(1);
    expect(seen).toEqual(['end']);
  });
});
