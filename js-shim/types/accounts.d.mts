// Accounts and their owners. Only owners change an account. A refused actor
// gets not_found (exactly as for an account that does not exist) unless they
// can already see the account through an access grant on one of its events, in
// which case they get forbidden. Inputs and answers are the operations'
// contracts (contracts.d.mts, generated).

import type { AccountOwnershipRow, AccountsRow, OperationInput, OperationOutput } from "./contracts.d.mts";

export type Account = AccountsRow;

export type AccountOwnership = AccountOwnershipRow;

export interface AccountsOperations {
  /** An organization account; the actor becomes its first owner. */
  createAccount(input: OperationInput<"create_account">): Promise<OperationOutput<"create_account">>;
  renameAccount(input: OperationInput<"rename_account">): Promise<OperationOutput<"rename_account">>;
  /** conflict if the user already owns the account. */
  addAccountOwner(input: OperationInput<"add_account_owner">): Promise<OperationOutput<"add_account_owner">>;
  /** conflict when it would leave the account without an owner. */
  removeAccountOwner(input: OperationInput<"remove_account_owner">): Promise<OperationOutput<"remove_account_owner">>;
  /** The accounts the user owns, personal first. */
  listUserAccounts(input: OperationInput<"list_user_accounts">): Promise<OperationOutput<"list_user_accounts">>;
}
