/**
 * One environment variable a function reads once, at cold start: its name,
 * what it does, its default and its parser. Declared once, the readers, the
 * construct's tests and the generated reference all use the declaration.
 */
export interface EnvironmentVariable<T> {
  /** The variable, e.g. `TABLE_NAME`. */
  readonly name: string;
  /** What it does, in one line. */
  readonly doc: string;
  /** The default, in words (`required` when there is none). */
  readonly defaultText: string;
  /**
   * Parses the variable's text (`undefined` when unset).
   *
   * @throws ConfigError naming `source` and the bad value
   */
  readonly parse: (value: string | undefined, source: string) => T;
}

/** A set of variables, by the configuration field each one fills. */
export type EnvironmentSpec = Readonly<Record<string, EnvironmentVariable<unknown>>>;

/** The configuration a {@link EnvironmentSpec} reads into. */
export type EnvironmentValues<S extends EnvironmentSpec> = {
  -readonly [K in keyof S]: S[K] extends EnvironmentVariable<infer T> ? T : never;
};

/**
 * Reads every variable of a spec from `env` with its parser.
 *
 * @throws ConfigError naming the first variable that is missing or invalid
 */
export function readEnvironment<S extends EnvironmentSpec>(
  spec: S,
  env: NodeJS.ProcessEnv,
): EnvironmentValues<S> {
  const values: Record<string, unknown> = {};
  for (const [field, variable] of Object.entries(spec)) {
    values[field] = variable.parse(env[variable.name], variable.name);
  }
  return values as EnvironmentValues<S>;
}
