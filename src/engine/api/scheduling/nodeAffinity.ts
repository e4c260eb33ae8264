/**
 * k8s.io/component-helpers/scheduling/corev1/nodeaffinity: how a pod's nodeSelector and node affinity
 * match a Node. Terms of a NodeSelector are ORed, the requirements of a term ANDed; matchExpressions
 * match the node's labels (In, NotIn, Exists, DoesNotExist, Gt, Lt), matchFields its `metadata.name`
 * (In or NotIn with one value). A term with neither matches nothing. As upstream's lazy-error variants,
 * a term that does not parse is dropped (it matches nothing) and the others still count.
 */
import type { Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod, PreferredSchedulingTerm } from 'kubernetes-types/core/v1';
import { everything, newRequirement, nothing, selectorFromSet, type Operator, type Requirement, type Selector } from '../labels/selector.ts';
import { escapeValue, oneTermEqualSelector, parseFieldSelector, type FieldSelector } from '../fields/selector.ts';

const OPERATORS: Readonly<Record<string, Operator>> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt' };

/** NodeSelectorRequirementsAsSelector; undefined when a requirement does not parse. */
function requirementsAsSelector(reqs: readonly NodeSelectorRequirement[]): Selector | undefined {
  if (reqs.length === 0) return nothing();
  const parsed: Requirement[] = [];
  for (const r of reqs) {
    const op = OPERATORS[r.operator];
    if (!op) return undefined;
    try {
      parsed.push(newRequirement(r.key, op, r.values && r.values.length > 0 ? r.values : null));
    } catch {
      return undefined;
    }
  }
  return everything().add(...parsed);
}

/** nodeSelectorRequirementsAsFieldSelector: only In/NotIn with exactly one value. */
function requirementsAsFieldSelector(reqs: readonly NodeSelectorRequirement[]): FieldSelector | undefined {
  const terms: string[] = [];
  for (const r of reqs) {
    if ((r.operator !== 'In' && r.operator !== 'NotIn') || r.values?.length !== 1) return undefined;
    terms.push(`${r.key}${r.operator === 'In' ? '=' : '!='}${escapeValue(r.values[0]!)}`);
  }
  if (terms.length === 1 && reqs[0]!.operator === 'In') return oneTermEqualSelector(reqs[0]!.key, reqs[0]!.values![0]!);
  return parseFieldSelector(terms.join(','));
}

class ParsedTerm {
  constructor(
    readonly matchLabels: Selector | undefined,
    readonly matchFields: FieldSelector | undefined,
  ) {}

  match(node: Node): boolean {
    if (this.matchLabels === undefined && this.matchFields === undefined) return false;
    if (this.matchLabels !== undefined && !this.matchLabels.matches(node.metadata?.labels)) return false;
    if (this.matchFields !== undefined && !this.matchFields.matches({ 'metadata.name': node.metadata?.name ?? '' })) return false;
    return true;
  }
}

function isEmptyTerm(term: NodeSelectorTerm): boolean {
  return (term.matchExpressions?.length ?? 0) === 0 && (term.matchFields?.length ?? 0) === 0;
}

/** A term as upstream parses it; undefined when it does not parse. */
function parseTerm(term: NodeSelectorTerm): ParsedTerm | undefined {
  let labels: Selector | undefined;
  let fields: FieldSelector | undefined;
  if (term.matchExpressions && term.matchExpressions.length > 0) {
    labels = requirementsAsSelector(term.matchExpressions);
    if (!labels) return undefined;
  }
  if (term.matchFields && term.matchFields.length > 0) {
    fields = requirementsAsFieldSelector(term.matchFields);
    if (!fields) return undefined;
  }
  return new ParsedTerm(labels, fields);
}

/** nodeaffinity.LazyErrorNodeSelector: a NodeSelector's terms, ORed. */
export class NodeSelectorMatcher {
  private readonly terms: ParsedTerm[] = [];

  constructor(selector: NodeSelector) {
    for (const term of selector.nodeSelectorTerms ?? []) {
      if (isEmptyTerm(term)) continue;
      const parsed = parseTerm(term);
      if (parsed) this.terms.push(parsed);
    }
  }

  match(node: Node): boolean {
    for (const t of this.terms) if (t.match(node)) return true;
    return false;
  }
}

/** nodeaffinity.PreferredSchedulingTerms: the sum of the weights of the terms a node matches. */
export class PreferredSchedulingTerms {
  private readonly terms: Array<{ term: ParsedTerm; weight: number }> = [];

  constructor(terms: readonly PreferredSchedulingTerm[]) {
    for (const t of terms) {
      if (!t.weight || isEmptyTerm(t.preference)) continue;
      const parsed = parseTerm(t.preference);
      if (parsed) this.terms.push({ term: parsed, weight: t.weight });
    }
  }

  score(node: Node): number {
    let score = 0;
    for (const t of this.terms) if (t.term.match(node)) score += t.weight;
    return score;
  }
}

/** nodeaffinity.RequiredNodeAffinity: the pod's nodeSelector AND its required node affinity. */
export class RequiredNodeAffinity {
  private readonly labelSelector: Selector | undefined;
  private readonly nodeSelector: NodeSelectorMatcher | undefined;

  constructor(pod: Pod) {
    if (pod.spec?.nodeSelector) this.labelSelector = selectorFromSet(pod.spec.nodeSelector);
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (required) this.nodeSelector = new NodeSelectorMatcher(required);
  }

  /** Whether the pod restricts nodes at all. */
  get isEmpty(): boolean {
    return this.labelSelector === undefined && this.nodeSelector === undefined;
  }

  match(node: Node): boolean {
    if (this.labelSelector && !this.labelSelector.matches(node.metadata?.labels)) return false;
    if (this.nodeSelector && !this.nodeSelector.match(node)) return false;
    return true;
  }
}

/** GetRequiredNodeAffinity. */
export function getRequiredNodeAffinity(pod: Pod): RequiredNodeAffinity {
  return new RequiredNodeAffinity(pod);
}
