/**
 * Label checks — k8s.io/apimachinery/pkg/apis/meta/v1/validation: label keys and values, label
 * selectors (`ValidateLabelSelector`, strict: label values in expressions must be valid), and the
 * selector-versus-template-labels check controllers share.
 *
 * Contract: errors use upstream's paths (`metadata.labels`, `spec.selector.matchExpressions[0].key`)
 * and messages. `selectorMatches` builds a selector with the shared label selector module and reports
 * `undefined` when the selector cannot be built (what `LabelSelectorAsSelector` errors on).
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { field, type FieldError } from '../field/errors.ts';
import type { Path } from '../field/path.ts';
import { labelSelectorAsSelector, type Selector } from '../labels/selector.ts';
import { isQualifiedName, isValidLabelValue } from './formats.ts';

/** ValidateLabelName: a label key is a qualified name. */
export function validateLabelName(name: string, path: Path): FieldError[] {
  return isQualifiedName(name).map((m) => field.invalid(path, name, m));
}

/** ValidateLabels: every key a qualified name, every value a label value; errors at the map's path. */
export function validateLabels(labels: Readonly<Record<string, string>> | undefined | null, path: Path): FieldError[] {
  if (!labels) return [];
  const errs: FieldError[] = [];
  for (const k in labels) {
    errs.push(...validateLabelName(k, path));
    const v = labels[k] ?? '';
    for (const m of isValidLabelValue(v)) errs.push(field.invalid(path, v, m));
  }
  return errs;
}

/** ValidateLabelSelector with AllowInvalidLabelValueInSelector off. */
export function validateLabelSelector(selector: LabelSelector | undefined | null, path: Path): FieldError[] {
  if (!selector) return [];
  const errs = validateLabels(selector.matchLabels, path.child('matchLabels'));
  selector.matchExpressions?.forEach((req, i) => {
    const p = path.child('matchExpressions').index(i);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(field.required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(field.forbidden(p.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(field.invalid(p.child('operator'), req.operator, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(req.key, p.child('key')));
    values.forEach((v, j) => {
      for (const m of isValidLabelValue(v)) errs.push(field.invalid(p.child('values').index(j), v, m));
    });
  });
  return errs;
}

/** LabelSelectorAsSelector, or undefined where upstream returns an error. A nil selector selects nothing. */
export function asSelector(selector: LabelSelector | undefined | null): Selector | undefined {
  try {
    return labelSelectorAsSelector(selector ?? null);
  } catch {
    return undefined;
  }
}

/** Whether a selector has no requirements at all (len(matchLabels)+len(matchExpressions) == 0). */
export function selectorIsEmpty(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions?.length ?? 0) === 0;
}
