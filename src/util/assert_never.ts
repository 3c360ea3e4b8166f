/** Marks a switch as exhaustive: a missing case is a type error, a bad value at run time throws. */
export function assertNever(x: never, what = "value"): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}
