import { describe, expect, it } from 'vitest';
import { Clock } from '../base/clock.ts';
import { MemoryFileSystem } from './fs.ts';
import { kubeContext, laptopPrompt } from './kubePs1.ts';

const home = '/home/student';

function files(config?: string, path = `${home}/.kube/config`) {
  const fs = new MemoryFileSystem(new Clock());
  fs.mkdir(`${home}/.kube`, { recursive: true });
  if (config !== undefined) {
    fs.mkdir(path.slice(0, path.lastIndexOf('/')), { recursive: true });
    fs.writeFile(path, config);
  }
  return fs;
}

const withNamespace = (ns: string) => `apiVersion: v1
kind: Config
clusters: [{name: kubernetes, cluster: {server: https://172.18.0.2:6443}}]
contexts:
- name: kubernetes-admin@kubernetes
  context: {cluster: kubernetes, user: kubernetes-admin, namespace: ${ns}}
- name: other
  context: {cluster: kubernetes, user: kubernetes-admin}
current-context: kubernetes-admin@kubernetes
users: [{name: kubernetes-admin, user: {}}]
`;

describe('kube-ps1', () => {
  it.each([
    ['no kubeconfig yet: the one kubectl writes', undefined, undefined, { context: 'kubernetes-admin@kubernetes', namespace: 'default' }],
    ["the current context's namespace", withNamespace('kube-system'), undefined, { context: 'kubernetes-admin@kubernetes', namespace: 'kube-system' }],
    ['a context without a namespace is in default', withNamespace('x').replace('current-context: kubernetes-admin@kubernetes', 'current-context: other'), undefined, { context: 'other', namespace: 'default' }],
    ['no current context', withNamespace('x').replace('current-context: kubernetes-admin@kubernetes', "current-context: ''"), undefined, { context: 'N/A', namespace: 'N/A' }],
    ['a file that is not YAML', '{{{', undefined, { context: 'N/A', namespace: 'N/A' }],
  ])('%s', (_, config, kubeconfig, expected) => {
    expect(kubeContext({ fs: files(config), home, ...(kubeconfig ? { kubeconfig } : {}) })).toEqual(expected);
  });

  it("reads $KUBECONFIG's first path and never writes a kubeconfig", () => {
    const fs = files(withNamespace('web'), '/tmp/kc');
    expect(kubeContext({ fs, home, kubeconfig: '/tmp/kc:/tmp/other' })).toEqual({ context: 'kubernetes-admin@kubernetes', namespace: 'web' });
    expect(kubeContext({ fs, home })).toEqual({ context: 'kubernetes-admin@kubernetes', namespace: 'default' });
    expect(fs.stat(`${home}/.kube/config`)).toBeUndefined();
  });

  it("puts kube-ps1's colours before Debian's prompt", () => {
    const prompt = laptopPrompt({ fs: files(withNamespace('dev')), home, user: 'student', host: 'laptop', cwd: '~' });
    expect(prompt).toBe('(\x1b[34m\u2388\x1b[39m|\x1b[31mkubernetes-admin@kubernetes\x1b[39m:\x1b[36mdev\x1b[39m) \x1b[01;32mstudent@laptop\x1b[00m:\x1b[01;34m~\x1b[00m$ ');
  });
});
