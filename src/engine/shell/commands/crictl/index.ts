/**
 * crictl — cri-tools 1.32's CLI for the CRI of the node it runs on (runtime/cri). See crictl.ts for the
 * commands and what is left out.
 */
export { crictl } from './crictl.ts';
