// Users and privileges (services/meta/data.go CreateUser..SetAdminPrivilege). Password
// hashes are made and checked outside the state machine; here they are opaque strings.

import { type Applied, OK } from "./apply_result.ts";
import { metaErrors } from "./errors.ts";
import { getNamed, putNamed } from "./name_index.ts";
import type { MetaData, Privilege, UserInfo } from "./types.ts";

const BITS: Readonly<Record<Privilege, number>> = { NONE: 0, READ: 1, WRITE: 2, ALL: 3 };
const FROM_BITS: readonly Privilege[] = ["NONE", "READ", "WRITE", "ALL"];

function requireUser(data: MetaData, name: string): UserInfo {
  const u = getNamed(data.users, name);
  if (!u) throw metaErrors.userNotFound();
  return u;
}

function putUser(data: MetaData, user: UserInfo): MetaData {
  return { ...data, users: putNamed(data.users, user) };
}

/** CREATE USER: the same user again (same hash and admin flag) is a no-op. */
export function createUser(data: MetaData, name: string, hash: string, admin: boolean): Applied {
  if (name === "") throw metaErrors.usernameRequired();
  const existing = getNamed(data.users, name);
  if (existing) {
    if (existing.hash !== hash || existing.admin !== admin) throw metaErrors.userExists();
    return { data, result: { kind: "user", user: existing } };
  }
  const user: UserInfo = { name, hash, admin, privileges: {} };
  return { data: putUser(data, user), result: { kind: "user", user } };
}

/** DROP USER. */
export function dropUser(data: MetaData, name: string): Applied {
  requireUser(data, name);
  return { data: { ...data, users: data.users.filter((u) => u.name !== name) }, result: OK };
}

/** SET PASSWORD: replaces the stored hash. */
export function setPassword(data: MetaData, name: string, hash: string): Applied {
  const u = requireUser(data, name);
  return { data: putUser(data, { ...u, hash }), result: OK };
}

/** GRANT/REVOKE ALL PRIVILEGES: sets or clears the admin flag. */
export function setAdmin(data: MetaData, name: string, admin: boolean): Applied {
  const u = requireUser(data, name);
  if (u.admin === admin) return { data, result: OK };
  return { data: putUser(data, { ...u, admin }), result: OK };
}

/** GRANT: sets the user's privilege on `database` to exactly `privilege`. */
export function setPrivilege(
  data: MetaData,
  name: string,
  database: string,
  privilege: Privilege,
): Applied {
  const u = requireUser(data, name);
  if (u.privileges[database] === privilege) return { data, result: OK };
  return {
    data: putUser(data, { ...u, privileges: { ...u.privileges, [database]: privilege } }),
    result: OK,
  };
}

/** REVOKE: clears `privilege`'s bits from the user's privilege (REVOKE READ of ALL leaves WRITE). */
export function revokePrivilege(
  data: MetaData,
  name: string,
  database: string,
  privilege: Privilege,
): Applied {
  const u = requireUser(data, name);
  const current = BITS[u.privileges[database] ?? "NONE"];
  const next = privilege === "ALL" ? "NONE" : FROM_BITS[current & ~BITS[privilege]];
  return setPrivilege(data, name, database, next);
}
