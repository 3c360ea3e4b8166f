/** A parsed `host:port` address. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * Parses "host:port" or "[v6]:port". Returns null when it does not parse; the caller
 * turns that into an error naming the key.
 */
export function parseHostPort(text: string): HostPort | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9._-]*)):(\d{1,5})$/.exec(text.trim());
  if (m === null) return null;
  const port = Number(m[3]);
  if (port > 65535) return null;
  const host = m[1] ?? m[2];
  return { host: host === "" ? "0.0.0.0" : host, port };
}

/** Formats an address for dialing or logs ("[::1]:8086" for IPv6). */
export function formatHostPort(a: HostPort): string {
  return a.host.includes(":") ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/** True when two listen addresses would collide on one port. */
export function sameListenPort(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.port === 0) return false;
  const wild = (h: string) => h === "0.0.0.0" || h === "::";
  return a.host === b.host || wild(a.host) || wild(b.host) ||
    (isLoopback(a.host) && isLoopback(b.host));
}

function isLoopback(h: string): boolean {
  return h === "localhost" || h === "127.0.0.1" || h === "::1";
}
