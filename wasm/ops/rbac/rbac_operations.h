#pragma once
#include "ops/operation.h"

// Run rarely, but in files the hot path shares (access.cpp, checks.cpp):
// compiled for size in the wasm, as the files of rarely run code are
// (CMakeLists.txt, EVENTUALL_WASM_COLD_OPT; BENCHMARKS.md, "Module size").
#if defined(__EMSCRIPTEN__) && defined(__clang__)
#define EVENTUALL_COLD_OPERATION __attribute__((minsize))
#else
#define EVENTUALL_COLD_OPERATION
#endif

namespace eventuall::ops {

// Checks: answer for a user (the Worker decides whom to ask about).
OperationTask can(Context& ctx, Json input);
const contract::Contract& can_contract();
EVENTUALL_COLD_OPERATION OperationTask explain_permission(Context& ctx, Json input);
const contract::Contract& explain_permission_contract();
EVENTUALL_COLD_OPERATION OperationTask effective_permissions(Context& ctx, Json input);
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
EVENTUALL_COLD_OPERATION OperationTask revoke_access(Context& ctx, Json input);
const contract::Contract& revoke_access_contract();
EVENTUALL_COLD_OPERATION OperationTask invite(Context& ctx, Json input);
const contract::Contract& invite_contract();
EVENTUALL_COLD_OPERATION OperationTask accept_invitations(Context& ctx, Json input);
const contract::Contract& accept_invitations_contract();
OperationTask list_participants(Context& ctx, Json input);
const contract::Contract& list_participants_contract();

}  // namespace eventuall::ops
