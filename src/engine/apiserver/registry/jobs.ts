/**
 * The Job registry's own rule (pkg/registry/batch/job/strategy.go): unless a Job asks for a manual
 * selector, the apiserver generates one from the Job's uid, and labels the pod template with it and with
 * the Job's name (both the `batch.kubernetes.io/` labels and the legacy unprefixed ones). Upstream does this
 * at validation, once the uid exists; so does this hook.
 */
import type { Job } from 'kubernetes-types/batch/v1';
import type { KindHooks } from './kindStrategy.ts';
import type { KubeObject } from './strategy.ts';

export const jobHooks: KindHooks = {
  prepareForValidation(object: KubeObject) {
    const job = object as Job;
    if (job.spec?.manualSelector === true) return;
    const uid = job.metadata?.uid ?? '';
    const name = job.metadata?.name ?? '';
    const spec = job.spec as { selector?: unknown; template?: { metadata?: { labels?: Record<string, string> } } } | undefined;
    if (!spec?.template) return;
    const template = (spec.template.metadata ??= {});
    const labels = { ...template.labels };
    labels['batch.kubernetes.io/controller-uid'] ??= uid;
    labels['batch.kubernetes.io/job-name'] ??= name;
    labels['controller-uid'] ??= uid;
    labels['job-name'] ??= name;
    template.labels = labels;
    spec.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  },
};
