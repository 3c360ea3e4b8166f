/** User statements through the injected user administration (passwords hashed by the host). */
import type {
  CreateUserStatement,
  GrantAdminStatement,
  GrantStatement,
  SetPasswordUserStatement,
} from "../influxql/mod.ts";
import type { QueryUserAdmin } from "./deps.ts";
import { queryErrors } from "./errors.ts";

/** The user statements this module runs. */
export type UserStatement =
  | CreateUserStatement
  | SetPasswordUserStatement
  | GrantStatement
  | GrantAdminStatement
  | { readonly kind: "DropUserStatement"; readonly name: string };

const PRIVILEGE = { READ: "READ", WRITE: "WRITE", "ALL PRIVILEGES": "ALL" } as const;

/** Runs one user statement; without `admin` these statements are not supported here. */
export async function runUserStatement(
  admin: QueryUserAdmin | undefined,
  s: UserStatement,
): Promise<void> {
  if (admin === undefined) throw queryErrors.unsupported("user administration on this node");
  switch (s.kind) {
    case "CreateUserStatement":
      await admin.createUser(s.name, await admin.hashPassword(s.password), s.admin);
      return;
    case "SetPasswordUserStatement":
      await admin.updateUser(s.name, await admin.hashPassword(s.password));
      return;
    case "DropUserStatement":
      await admin.dropUser(s.name);
      return;
    case "GrantStatement":
      await admin.setPrivilege(s.user, s.on, PRIVILEGE[s.privilege]);
      return;
    case "RevokeStatement":
      await admin.revokePrivilege(s.user, s.on, PRIVILEGE[s.privilege]);
      return;
    case "GrantAdminStatement":
    case "RevokeAdminStatement":
      await admin.setAdminPrivilege(s.user, s.kind === "GrantAdminStatement");
      return;
  }
}
