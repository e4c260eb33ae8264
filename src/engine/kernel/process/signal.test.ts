import { describe, expect, it } from 'vitest';
import { defaultAction, listSignals, parseSignal, signalName, sigset, sigsetMembers } from './signal.ts';

describe('signals', () => {
  it('lists them in kill -l order, 1–31 then SIGRTMIN (34) to SIGRTMAX (64)', () => {
    const all = listSignals();
    expect(all).toHaveLength(62);
    expect(all.slice(0, 3).map((s) => `${s.number}) ${s.name}`)).toEqual(['1) SIGHUP', '2) SIGINT', '3) SIGQUIT']);
    expect(all.slice(30, 33).map((s) => `${s.number}) ${s.name}`)).toEqual(['31) SIGSYS', '34) SIGRTMIN', '35) SIGRTMIN+1']);
    expect(all.slice(-3).map((s) => `${s.number}) ${s.name}`)).toEqual(['62) SIGRTMAX-2', '63) SIGRTMAX-1', '64) SIGRTMAX']);
  });

  it.each([
    [9, 'SIGKILL'], [15, 'SIGTERM'], [17, 'SIGCHLD'], [19, 'SIGSTOP'], [49, 'SIGRTMIN+15'], [50, 'SIGRTMAX-14'], [32, 'SIG32'],
  ])('names %i %s', (n, name) => {
    expect(signalName(n)).toBe(name);
  });

  it.each([
    ['9', 9], ['0', 0], ['TERM', 15], ['SIGterm', 15], ['kill', 9], ['RTMIN+2', 36], ['SIGRTMAX-1', 63], ['RTMAX+1', undefined], ['65', undefined], ['FOO', undefined],
  ])('parses %j as %s', (text, n) => {
    expect(parseSignal(text)).toBe(n);
  });

  it.each([
    [15, 'term'], [9, 'term'], [11, 'core'], [6, 'core'], [3, 'core'], [17, 'ign'], [28, 'ign'], [18, 'cont'], [19, 'stop'], [20, 'stop'], [40, 'term'],
  ])('signal %i defaults to %s', (n, action) => {
    expect(defaultAction(n)).toBe(action);
  });

  it('maps signal sets to the bits /proc/<pid>/status prints', () => {
    expect(sigset([1, 9, 15]).toString(16).padStart(16, '0')).toBe('0000000000004101');
    expect(sigsetMembers(sigset([64, 2]))).toEqual([2, 64]);
  });
});
