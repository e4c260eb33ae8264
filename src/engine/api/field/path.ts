/**
 * Path — a field path as validation reports it (k8s.io/apimachinery/pkg/util/validation/field.Path):
 * `spec.containers[0].image`, `metadata.labels[app.kubernetes.io/name]`.
 */
export class Path {
  private constructor(
    private readonly parent: Path | undefined,
    private readonly segment: string,
    private readonly kind: 'root' | 'child' | 'index' | 'key',
  ) {}

  /** A path starting at the named field (`newPath('spec', 'template')` is `spec.template`). */
  static of(name: string, ...more: string[]): Path {
    let p = new Path(undefined, name, 'root');
    for (const m of more) p = p.child(m);
    return p;
  }

  child(name: string, ...more: string[]): Path {
    let p = new Path(this, name, 'child');
    for (const m of more) p = p.child(m);
    return p;
  }

  index(i: number): Path {
    return new Path(this, String(i), 'index');
  }

  key(k: string): Path {
    return new Path(this, k, 'key');
  }

  toString(): string {
    const parts: Path[] = [this];
    for (let p = this.parent; p; p = p.parent) parts.push(p);
    let out = '';
    for (let i = parts.length - 1; i >= 0; i--) {
      const p = parts[i]!;
      if (p.kind === 'root') out += p.segment;
      else if (p.kind === 'child') out += (out === '' ? '' : '.') + p.segment;
      else out += `[${p.segment}]`;
    }
    return out;
  }
}
