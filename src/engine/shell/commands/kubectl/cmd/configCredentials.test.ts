/**
 * kubectl config set-credentials and the credentials kubectl sends: a kubeconfig user's bearer token
 * (401 when the apiserver does not know it), and kubeadm's admin keeping its client certificate under
 * `--token`, as a real admin.conf does.
 */
import { describe, expect, it } from 'vitest';
import { Lab } from '../../../../cluster/index.ts';
import { runKubectl } from '../testing.ts';

describe('kubectl config set-credentials and bearer tokens', () => {
  it('stores a token for a user, and a request as that user with an unknown token is 401', async () => {
    const lab = new Lab({ seed: 1 });
    expect(await runKubectl(lab, 'config set-credentials eve --token=not-a-real-token')).toEqual({ stdout: 'User "eve" set.\n', stderr: '', code: 0 });
    expect((await runKubectl(lab, 'config view -o jsonpath={.users[1].user.token}')).stdout).toBe('not-a-real-token');
    expect(await runKubectl(lab, 'get configmaps --user=eve')).toEqual({ stdout: '', stderr: 'error: You must be logged in to the server (Unauthorized)\n', code: 1 });
  });

  it('authenticates a user whose token the apiserver issued (a service account token), then RBAC decides', async () => {
    const lab = new Lab({ seed: 1 });
    await runKubectl(lab, 'create serviceaccount bot');
    const token = (await runKubectl(lab, 'create token bot')).stdout.trim();
    await runKubectl(lab, `config set-credentials bot --token=${token}`);
    const got = await runKubectl(lab, 'get configmaps --user=bot');
    expect(got.code).toBe(1);
    expect(got.stderr).toBe('Error from server (Forbidden): configmaps is forbidden: User "system:serviceaccount:default:bot" cannot list resource "configmaps" in API group "" in the namespace "default"\n');
  });

  it("leaves kubeadm's admin authenticated by its client certificate when --token is given", async () => {
    const lab = new Lab({ seed: 1 });
    expect(await runKubectl(lab, 'get namespace default -o name --token=bad')).toEqual({ stdout: 'namespace/default\n', stderr: '', code: 0 });
  });

  it("does not take a command's own --user (create rolebinding's subject) for the kubeconfig user", async () => {
    const lab = new Lab({ seed: 1 });
    await runKubectl(lab, 'config set-credentials eve --token=not-a-real-token');
    await runKubectl(lab, 'create role reader --verb=get --resource=pods');
    expect(await runKubectl(lab, 'create rolebinding eve-reads --role=reader --user=eve')).toEqual({ stdout: 'rolebinding.rbac.authorization.k8s.io/eve-reads created\n', stderr: '', code: 0 });
  });

  it('refuses the flags the lab leaves out, and a missing name', async () => {
    const lab = new Lab({ seed: 1 });
    expect((await runKubectl(lab, 'config set-credentials eve --username=eve')).stderr).toBe("error: the lab's kubeconfig keeps bearer tokens only: --username is not supported\n");
    expect((await runKubectl(lab, 'config set-credentials')).code).toBe(1);
  });
});
