// Accounts and their owners. Only owners change an account. A refused actor
// gets not_found (exactly as for an account that does not exist) unless they
// can already see the account through an access grant on one of its events, in
// which case they get forbidden.

import type { AccountOwnershipRow, AccountsRow } from "./contracts.d.mts";

export type Account = AccountsRow;

export type AccountOwnership = AccountOwnershipRow;

export interface AccountsOperations {
  /** An organization account; the actor becomes its first owner. */
  createAccount(input: { actorUserId: string; name: string }): Promise<{ account: Account; ownership: AccountOwnership }>;
  renameAccount(input: { actorUserId: string; accountId: string; name: string }): Promise<{ account: Account }>;
  /** conflict if the user already owns the account. */
  addAccountOwner(input: { actorUserId: string; accountId: string; userId: string }): Promise<{ ownership: AccountOwnership }>;
  /** conflict when it would leave the account without an owner. */
  removeAccountOwner(input: { actorUserId: string; accountId: string; userId: string }): Promise<{ removed: AccountOwnership }>;
  /** The accounts the user owns, personal first. */
  listUserAccounts(input: { userId: string }): Promise<{ accounts: Account[] }>;
}
