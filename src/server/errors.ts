/** The node could not start; `message` is the one line a person sees. */
export class StartupError extends Error {
  override readonly name = "StartupError";
}
