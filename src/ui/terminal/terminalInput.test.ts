import { describe, expect, it } from 'vitest';
import { commandKeys, tabFor, useTerminalInput } from './terminalInput.ts';

describe('tabFor', () => {
  const tabs = [{ key: 't1' }, { key: 't2', host: 'docker-host' }, { key: 't3' }, { key: 't4', host: 'docker-host' }];
  it('prefers the shown tab when it is on the session', () => {
    expect(tabFor(tabs, 't3', 'laptop')).toBe('t3');
    expect(tabFor(tabs, 't4', 'docker-host')).toBe('t4');
  });
  it('else takes the first tab on the session', () => {
    expect(tabFor(tabs, 't2', 'laptop')).toBe('t1');
    expect(tabFor(tabs, 't1', 'docker-host')).toBe('t2');
  });
  it('finds none for a host without a tab', () => {
    expect(tabFor(tabs, 't1', 'worker-1')).toBeUndefined();
  });
});

describe('commandKeys', () => {
  it('presses Enter after each command and skips blank lines', () => {
    expect(commandKeys('docker ps\n\nkubectl get pods')).toBe('docker ps\rkubectl get pods\r');
  });
});

describe('useTerminalInput', () => {
  it('queues requests in order and drops them when consumed', () => {
    const store = useTerminalInput.getState();
    store.typeInto('laptop', 'ls\r');
    store.typeInto('worker-1', 'ps\r');
    const [a, b] = useTerminalInput.getState().requests;
    expect([a?.session, b?.session]).toEqual(['laptop', 'worker-1']);
    expect(b!.seq).toBeGreaterThan(a!.seq);
    useTerminalInput.getState().consume(a!.seq);
    expect(useTerminalInput.getState().requests.map((r) => r.text)).toEqual(['ps\r']);
  });
  it('refuses a session that cannot be a terminal, and empty text', () => {
    expect(() => useTerminalInput.getState().typeInto('pod/web', 'ls')).toThrow(/no terminal session named "pod\/web"/);
    expect(() => useTerminalInput.getState().typeInto('laptop', '')).toThrow(/some text/);
  });
});
