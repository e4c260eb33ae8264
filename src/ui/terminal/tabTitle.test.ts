import { describe, expect, it } from 'vitest';
import { tabTitle } from './tabTitle.ts';

const laptop = { user: 'student', host: 'laptop', attached: null };

describe('tabTitle', () => {
  it.each([
    ['the shell itself', laptop, 'student@laptop'],
    ['a node shell', { user: 'root', host: 'worker-1', attached: null }, 'root@worker-1'],
    ['ssh', { ...laptop, attached: { kind: 'ssh' as const, name: 'worker-1', user: 'root' } }, 'root@worker-1'],
    ['kubectl exec -it', { ...laptop, attached: { kind: 'exec' as const, name: 'web-7d9c8b-x2k4p', container: 'nginx' } }, 'web-7d9c8b-x2k4p:nginx'],
    ['docker exec -it by name', { ...laptop, attached: { kind: 'exec' as const, name: 'web' } }, 'web'],
    ['docker run -it, by ID', { ...laptop, attached: { kind: 'attach' as const, name: 'a'.repeat(64) } }, 'aaaaaaaaaaaa'],
  ])('%s', (_, record, title) => {
    expect(tabTitle(record, 'fallback')).toBe(title);
  });

  it('uses the fallback until the record arrives', () => {
    expect(tabTitle(undefined, 'worker-2')).toBe('worker-2');
  });
});
