/**
 * A configuration the node refuses. `message` is the one line a person sees:
 * the file, the key, what is wrong and how to fix it.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly file: string,
    readonly key: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${file}: ${key}: ${problem}; ${fix}`);
  }
}
