#pragma once
#include "ops/operation.h"

namespace eventuall::ops {

OperationTask create_account(Context& ctx, Json input);
OperationTask rename_account(Context& ctx, Json input);
OperationTask add_account_owner(Context& ctx, Json input);
OperationTask remove_account_owner(Context& ctx, Json input);
OperationTask list_user_accounts(Context& ctx, Json input);

}  // namespace eventuall::ops
