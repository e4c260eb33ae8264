/**
 * kubectl 1.32 for the lab's shell: a real client of the lab's apiserver over `ctx.kube.transport` (the
 * REST client), with kubectl's command tree, flags, help texts, output and errors. See kubectl.ts for the
 * commands it implements and what it leaves out.
 */
export { kubectl } from './kubectl.ts';
