import { describe, expect, it } from 'vitest';
import { Emitter } from './emitter.ts';

describe('Emitter', () => {
  it('calls listeners in order and stops after dispose', () => {
    const e = new Emitter<number>();
    const seen: string[] = [];
    const a = e.event((v) => seen.push(`a${v}`));
    e.event((v) => seen.push(`b${v}`));
    e.fire(1);
    a.dispose();
    e.fire(2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
  });

  it('does not call a listener added during a fire for that fire', () => {
    const e = new Emitter<number>();
    const seen: number[] = [];
    e.event(() => e.event((v) => seen.push(v)));
    e.fire(1);
    expect(seen).toEqual([]);
    e.fire(2);
    expect(seen).toEqual([2]);
  });

  it('reports a throwing listener and still calls the rest', () => {
    const errors: unknown[] = [];
    const e = new Emitter<number>((err) => errors.push(err));
    const seen: number[] = [];
    e.event(() => {
      throw new Error('boom');
    });
    e.event((v) => seen.push(v));
    e.fire(7);
    expect(seen).toEqual([7]);
    expect(String(errors[0])).toMatch(/boom/);
  });

  it('ignores subscriptions after dispose', () => {
    const e = new Emitter<number>();
    e.dispose();
    e.event(() => {
      throw new Error('never');
    });
    e.fire(1);
    expect(e.hasListeners).toBe(false);
  });
});
