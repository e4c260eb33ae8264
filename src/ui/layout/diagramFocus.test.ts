import { describe, expect, it } from 'vitest';
import { useFocusStore } from './diagramFocus.ts';

describe('diagram focus', () => {
  it('numbers each focus asked, so a diagram follows a repeated one again', () => {
    const { setFocus } = useFocusStore.getState();
    setFocus('node-internals', { node: 'worker-1' });
    const first = useFocusStore.getState().focus!;
    setFocus('node-internals', { node: 'worker-1' });
    const second = useFocusStore.getState().focus!;
    expect(second).toMatchObject({ view: 'node-internals', values: { node: 'worker-1' } });
    expect(second.seq).toBeGreaterThan(first.seq);
    setFocus('', null);
    expect(useFocusStore.getState().focus).toBeNull();
  });
});
