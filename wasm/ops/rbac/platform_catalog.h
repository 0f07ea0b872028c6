#pragma once
// The platform's standard permissions and roles, as
// migrations/webapp/0001_rbac_defaults.sql seeds them (fixed ids, so callers
// can name them); tests/native/contract_test.cpp compares the two. The JS
// package exports them (js-shim/contracts.mjs, generated from this list).

#include <array>
#include <string_view>

#include "ops/rbac/permission_sql.h"

namespace eventuall::ops::rbac {

inline constexpr std::array<std::string_view, 9> kStandardPermissions = {
    permission::kEventView,    permission::kEventManage,      permission::kRoomJoin,
    permission::kStagePresent, permission::kParticipantsView, permission::kInvitationCreate,
    permission::kGrantManage,  permission::kRecordingManage,  permission::kOrderManage,
};

struct PlatformRole {
  std::string_view name;
  std::string_view id;
};

inline constexpr std::array<PlatformRole, 4> kPlatformRoles = {{
    {"attendee", "roleattendee000000000000"},
    {"speaker", "rolespeaker0000000000000"},
    {"moderator", "rolemoderator00000000000"},
    {"organizer", "roleorganizer00000000000"},
}};

}  // namespace eventuall::ops::rbac
