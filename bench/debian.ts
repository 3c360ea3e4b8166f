/** Installs a Debian package when its command is missing (benches compare against them). */
export async function ensureDebianPackage(command: string, pkg: string): Promise<void> {
  const has = await new Deno.Command("sh", { args: ["-c", `command -v ${command}`] }).output();
  if (has.success) return;
  console.error(`bench: installing ${pkg} from Debian (apt-get)…`);
  const run = (args: string[]) =>
    new Deno.Command("apt-get", {
      args,
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdout: "null",
      stderr: "piped",
    }).output();
  await run(["update", "-qq"]);
  const out = await run(["install", "-y", "-qq", pkg]);
  if (!out.success) {
    throw new Error(
      `cannot install ${pkg} (needed for this benchmark): ` +
        new TextDecoder().decode(out.stderr).trim().split("\n").slice(-2).join(" "),
    );
  }
}
