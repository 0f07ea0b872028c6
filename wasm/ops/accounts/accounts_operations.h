#pragma once
#include "ops/operation.h"

namespace eventuall::ops {

OperationTask create_account(Context& ctx, Json input);
const contract::Contract& create_account_contract();
OperationTask rename_account(Context& ctx, Json input);
const contract::Contract& rename_account_contract();
OperationTask add_account_owner(Context& ctx, Json input);
const contract::Contract& add_account_owner_contract();
OperationTask remove_account_owner(Context& ctx, Json input);
const contract::Contract& remove_account_owner_contract();
OperationTask list_user_accounts(Context& ctx, Json input);
const contract::Contract& list_user_accounts_contract();

}  // namespace eventuall::ops
