/** Where a command writes; injected so tests capture output. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Writes to the process's real stdout/stderr. */
export const processIo: CliIo = {
  stdout: (t) => void Deno.stdout.writeSync(new TextEncoder().encode(t)),
  stderr: (t) => void Deno.stderr.writeSync(new TextEncoder().encode(t)),
};

/** Bad command-line usage: one line on stderr, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Exit codes the binary uses. */
export const EXIT_OK = 0;
/** The command ran and failed (bad config, node refused, server error). */
export const EXIT_FAILURE = 1;
/** The command line itself was wrong. */
export const EXIT_USAGE = 2;
