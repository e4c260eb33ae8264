import { describe, expect, it } from 'vitest';
import { addonConfigData } from '../../cluster/kubeadm.ts';
import { parseCorefile } from './corefile.ts';
import { parseGoDuration, setupBlock } from './setup.ts';

const FILE = '/etc/coredns/Corefile';
/** kubeadm's Corefile, as the coredns ConfigMap holds it. */
const KUBEADM = addonConfigData('coredns', '172.18.0.2:6443')['Corefile']!;
const env = { readFile: (p: string) => (p === '/etc/resolv.conf' ? 'search localdomain\nnameserver 172.18.0.1\n' : undefined) };

function setup(text: string) {
  const [block] = parseCorefile(FILE, text);
  return setupBlock(FILE, block!, 53, env);
}

describe('the Corefile', () => {
  it("sets up kubeadm's Corefile", () => {
    const s = setup(KUBEADM);
    expect(s).toMatchObject({
      zone: '.',
      port: 53,
      errors: true,
      health: { address: ':8080', lameduckMs: 5000 },
      ready: { address: ':8181' },
      prometheus: { address: ':9153' },
      kubernetes: { zones: ['cluster.local.', 'in-addr.arpa.', 'ip6.arpa.'], pods: 'insecure', fallthrough: ['in-addr.arpa.', 'ip6.arpa.'], ttl: 30 },
      forward: { from: '.', to: ['172.18.0.1:53'], maxConcurrent: 1000 },
      cache: { successCap: 30, denialCap: 30, disableSuccess: ['cluster.local.'], disableDenial: ['cluster.local.'] },
      loop: true,
      reload: { intervalMs: 30_000, jitterMs: 15_000 },
      loadbalance: true,
    });
    expect(s.plugins).toEqual(['reload', 'ready', 'health', 'prometheus', 'errors', 'loadbalance', 'cache', 'kubernetes', 'loop', 'forward']);
  });

  it.each([
    ['.:53 {\n    errors\n    foo\n}\n', "/etc/coredns/Corefile:3 - Error during parsing: Unknown directive 'foo'"],
    ['.:53 {\n    errors\n', "/etc/coredns/Corefile:2 - Error during parsing: Syntax error: Unexpected token 'errors', expecting '}'"],
    ['.:53 {\n    health {\n       lameduck\n    }\n}\n', "plugin/health: /etc/coredns/Corefile:3 - Error during parsing: Wrong argument count or unexpected line ending after 'lameduck'"],
    ['.:53 {\n    health {\n       lameduck 5x\n    }\n}\n', 'plugin/health: unable to parse lameduck duration value: "5x": time: unknown unit "x" in duration "5x"'],
    ['.:53 {\n    kubernetes cluster.local {\n       pods maybe\n    }\n}\n', 'plugin/kubernetes: /etc/coredns/Corefile:3 - Error during parsing: wrong value for pods: maybe,  must be one of: disabled, verified, insecure'],
    ['.:53 {\n    forward . /etc/nope.conf\n}\n', 'plugin/forward: not an IP address or file: "/etc/nope.conf"'],
    ['.:53 {\n    errors\n    errors\n}\n', 'plugin/errors: this plugin can only be used once per Server Block'],
  ])('fails on %j with CoreDNS’s message', (text, message) => {
    expect(() => setup(text)).toThrow(message);
  });

  it.each([
    ['5s', 5000],
    ['1m30s', 90_000],
    ['250ms', 250],
    ['1.5h', 5_400_000],
  ])('parses Go duration %s', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });
});
