import { decode, encode } from "@msgpack/msgpack";
import { FrameError } from "./frame.ts";

/** Largest frame accepted before a connection has finished its handshake. */
export const MAX_HANDSHAKE_FRAME_BYTES = 4096;

/** Bytes of random challenge a listener sends on every accepted connection. */
export const NONCE_BYTES = 16;

/** First frame on an accepted connection: the listener's id and a fresh random nonce. */
export interface Challenge {
  readonly kind: "challenge";
  readonly server: number;
  readonly nonce: Uint8Array;
}

/** The dialer's answer: who it is, which cluster, and an HMAC of the challenge. */
export interface Hello {
  readonly kind: "hello";
  readonly from: number;
  readonly clusterId: string;
  /** HMAC-SHA256 over the nonce, cluster id and sender id; empty when no secret is set. */
  readonly mac: Uint8Array;
}

/** Encodes a handshake record as a frame payload. */
export function encodeHandshake(h: Challenge | Hello): Uint8Array {
  return encode(h);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isId(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x > 0;
}

function decodeRecord(payload: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = decode(payload);
  } catch (e) {
    throw new FrameError("malformed", `handshake frame is not msgpack: ${(e as Error).message}`);
  }
  if (!isRecord(value)) throw new FrameError("malformed", "handshake frame is not a record");
  return value;
}

/** Decodes a challenge frame; throws FrameError when it is not one. */
export function decodeChallenge(payload: Uint8Array): Challenge {
  const v = decodeRecord(payload);
  if (
    v.kind !== "challenge" || !isId(v.server) || !(v.nonce instanceof Uint8Array) ||
    v.nonce.byteLength !== NONCE_BYTES
  ) {
    throw new FrameError("malformed", "expected a handshake challenge frame");
  }
  return { kind: "challenge", server: v.server, nonce: v.nonce };
}

/** Decodes a hello frame; throws FrameError when it is not one. */
export function decodeHello(payload: Uint8Array): Hello {
  const v = decodeRecord(payload);
  if (
    v.kind !== "hello" || !isId(v.from) || typeof v.clusterId !== "string" ||
    !(v.mac instanceof Uint8Array)
  ) {
    throw new FrameError("malformed", "expected a handshake hello frame");
  }
  return { kind: "hello", from: v.from, clusterId: v.clusterId, mac: v.mac };
}

/** A fresh random challenge nonce. */
export function newNonce(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
}

/** The HMAC key for a cluster's shared secret, or null when the cluster has none. */
export async function importSecret(secret: string | undefined): Promise<CryptoKey | null> {
  if (secret === undefined || secret === "") return null;
  return await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

function macInput(nonce: Uint8Array, clusterId: string, from: number): Uint8Array<ArrayBuffer> {
  const text = new TextEncoder().encode(`chronoraft-raft-hello\0${clusterId}\0${from}\0`);
  const out = new Uint8Array(text.byteLength + nonce.byteLength);
  out.set(text);
  out.set(nonce, text.byteLength);
  return out;
}

/** Builds the hello answering `challenge`, signed with `key` when there is one. */
export async function makeHello(
  challenge: Challenge,
  from: number,
  clusterId: string,
  key: CryptoKey | null,
): Promise<Hello> {
  const mac = key === null ? new Uint8Array(0) : new Uint8Array(
    await crypto.subtle.sign("HMAC", key, macInput(challenge.nonce, clusterId, from)),
  );
  return { kind: "hello", from, clusterId, mac };
}

/**
 * Checks a hello against the nonce this side sent. Returns null when it is acceptable, else a
 * sentence saying why it was refused (for the log).
 */
export async function verifyHello(
  hello: Hello,
  nonce: Uint8Array,
  clusterId: string,
  key: CryptoKey | null,
): Promise<string | null> {
  if (hello.clusterId !== clusterId) {
    return `peer belongs to cluster "${hello.clusterId}", expected "${clusterId}"`;
  }
  if (key === null) return null;
  if (hello.mac.byteLength === 0) return "peer sent no shared-secret proof";
  const ok = await crypto.subtle.verify(
    "HMAC",
    key,
    new Uint8Array(hello.mac),
    macInput(nonce, clusterId, hello.from),
  );
  return ok ? null : "peer's shared-secret proof does not match (wrong secret?)";
}
