/**
 * BuildArgs — moby builder/dockerfile/buildargs.go: the `--build-arg` values, the ARGs a stage declared
 * (with their defaults), the meta ARGs before the first FROM (defaults for undeclared values), the
 * proxy variables allowed without an ARG, and which given values no ARG consumed (the warning at the end).
 */

/** The proxy variables every build accepts without an ARG. */
export const BUILTIN_ALLOWED_BUILD_ARGS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];

export class BuildArgs {
  private readonly allowedBuildArgs = new Map<string, string | undefined>();
  private readonly allowedMetaArgs: Map<string, string | undefined>;
  private readonly referencedArgs: Set<string>;

  constructor(
    private readonly argsFromOptions: ReadonlyMap<string, string | undefined>,
    meta?: Map<string, string | undefined>,
    referenced?: Set<string>,
  ) {
    this.allowedMetaArgs = meta ?? new Map();
    this.referencedArgs = referenced ?? new Set();
  }

  /** A stage's copy: its own declared ARGs, the shared meta ARGs and references. */
  clone(): BuildArgs {
    return new BuildArgs(this.argsFromOptions, this.allowedMetaArgs, this.referencedArgs);
  }

  /** `ARG key[=value]` inside a stage. */
  addArg(key: string, value: string | undefined): void {
    this.allowedBuildArgs.set(key, value);
    this.referencedArgs.add(key);
  }

  /** `ARG key[=value]` before the first FROM. */
  addMetaArg(key: string, value: string | undefined): void {
    this.allowedMetaArgs.set(key, value);
  }

  /** The meta ARGs' values, as `KEY=value` entries (for expanding FROM). */
  metaEnv(): string[] {
    const out: string[] = [];
    for (const key of this.allowedMetaArgs.keys()) {
      const v = this.getBuildArg(key, this.allowedMetaArgs);
      if (v !== undefined) out.push(`${key}=${v}`);
    }
    return out;
  }

  /** The values of the allowed args not overridden by `env`, sorted `KEY=value` (FilterAllowed). */
  filterAllowed(env: readonly string[]): string[] {
    const names = new Set(env.map((e) => e.split('=', 1)[0]!));
    const out: string[] = [];
    for (const key of this.allowedBuildArgs.keys()) {
      if (names.has(key)) continue;
      const v = this.getBuildArg(key, this.allowedBuildArgs);
      if (v !== undefined) out.push(`${key}=${v}`);
    }
    for (const key of BUILTIN_ALLOWED_BUILD_ARGS) {
      const v = this.argsFromOptions.get(key);
      if (v !== undefined && !names.has(key) && !this.allowedBuildArgs.has(key)) out.push(`${key}=${v}`);
    }
    return out.sort();
  }

  /** The `--build-arg` names nothing consumed, sorted. */
  unusedBuildArgs(): string[] {
    return [...this.argsFromOptions.keys()]
      .filter((k) => !this.referencedArgs.has(k) && !BUILTIN_ALLOWED_BUILD_ARGS.includes(k) && !this.allowedMetaArgs.has(k))
      .sort();
  }

  private getBuildArg(key: string, mapping: Map<string, string | undefined>): string | undefined {
    const given = this.argsFromOptions.get(key);
    if (given !== undefined) return given;
    const def = mapping.get(key);
    if (def === undefined) return this.allowedMetaArgs.get(key);
    return def;
  }
}
