#pragma once
#include "ops/operation.h"

namespace eventuall::ops {

// Checks: answer for a user (the Worker decides whom to ask about).
OperationTask can(Context& ctx, Json input);
const contract::Contract& can_contract();
OperationTask explain_permission(Context& ctx, Json input);
const contract::Contract& explain_permission_contract();
OperationTask effective_permissions(Context& ctx, Json input);
const contract::Contract& effective_permissions_contract();
// Catalog. Platform-wide permissions and roles are administrative: the Worker
// must not expose them to end users. Account roles need an owner as actor.
OperationTask define_permission(Context& ctx, Json input);
const contract::Contract& define_permission_contract();
OperationTask define_role(Context& ctx, Json input);
const contract::Contract& define_role_contract();
OperationTask add_role_permission(Context& ctx, Json input);
const contract::Contract& add_role_permission_contract();
OperationTask add_role_inheritance(Context& ctx, Json input);
const contract::Contract& add_role_inheritance_contract();
// Reading and shrinking the catalog (same rule: owners change their account's
// roles; a removal never raises anyone's permissions).
OperationTask list_roles(Context& ctx, Json input);
const contract::Contract& list_roles_contract();
OperationTask get_role(Context& ctx, Json input);
const contract::Contract& get_role_contract();
OperationTask remove_role_permission(Context& ctx, Json input);
const contract::Contract& remove_role_permission_contract();
OperationTask remove_role_inheritance(Context& ctx, Json input);
const contract::Contract& remove_role_inheritance_contract();
OperationTask delete_role(Context& ctx, Json input);
const contract::Contract& delete_role_contract();
// Access to events and rooms, by an actor holding grant.manage.
OperationTask grant_access(Context& ctx, Json input);
const contract::Contract& grant_access_contract();
OperationTask revoke_access(Context& ctx, Json input);
const contract::Contract& revoke_access_contract();
OperationTask invite(Context& ctx, Json input);
const contract::Contract& invite_contract();
OperationTask accept_invitations(Context& ctx, Json input);
const contract::Contract& accept_invitations_contract();
OperationTask list_participants(Context& ctx, Json input);
const contract::Contract& list_participants_contract();

}  // namespace eventuall::ops
