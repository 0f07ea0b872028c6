// RBAC: permissions, roles with inheritance, access grants, invitations,
// participants. Owners of an event's account hold every permission on it.
// Every input and answer here is the generated one (contracts.d.mts, from the
// operations' contracts): this file only names them and documents the methods.

import type {
  AccessGrantsRow,
  InvitationsRow,
  OperationInput as In,
  OperationOutput as Out,
  PermissionsRow,
  RolesRow,
} from "./contracts.d.mts";

export type Permission = PermissionsRow;

export type Role = RolesRow;

export type AccessGrant = AccessGrantsRow;

export type Invitation = InvitationsRow;

/**
 * What `invite` answers, the same for every email: an echo of the invitation
 * asked for. Whether the address belongs to a verified user, an unverified one
 * or nobody is not told; the invitation waits until its invitee claims it.
 */
export type InvitationReceipt = Out<"invite">["invitation"];

/** One row of `listParticipants`: a user with a grant, or a pending invitation (only its email). */
export type Participant = Out<"list_participants">["participants"][number];

/** The user, event and room a permission check is about. */
export type PermissionCheckInput = In<"effective_permissions">;

/** Why a user holds a permission, or why not (`explainPermission`). */
export type Explanation = Out<"explain_permission">;

export interface RbacOperations {
  /** A permission outside the catalog is invalid_input, never allowed: false. */
  can(input: In<"can">): Promise<Out<"can">>;
  /** `path`: the granted role, then each inherited role up to the one that confers the permission. */
  explainPermission(input: In<"explain_permission">): Promise<Explanation>;
  effectivePermissions(input: PermissionCheckInput): Promise<Out<"effective_permissions">>;
  /** Administrative: not for end users. */
  definePermission(input: In<"define_permission">): Promise<Out<"define_permission">>;
  /** Without actorUserId: administrative (platform role when no accountId). With it: the actor must own accountId. */
  defineRole(input: In<"define_role">): Promise<Out<"define_role">>;
  addRolePermission(input: In<"add_role_permission">): Promise<Out<"add_role_permission">>;
  /** conflict, naming the cycle, when roleId is already an ancestor of parentRoleId. */
  addRoleInheritance(input: In<"add_role_inheritance">): Promise<Out<"add_role_inheritance">>;
  /** The platform roles and, with accountId (required with an actor, who must own it), the account's own. */
  listRoles(input: In<"list_roles">): Promise<Out<"list_roles">>;
  grantAccess(input: In<"grant_access">): Promise<Out<"grant_access">>;
  revokeAccess(input: In<"revoke_access">): Promise<Out<"revoke_access">>;
  /**
   * Whatever account holds the email (verified, unverified or none), a pending invitation, claimed
   * by whoever proves the address (verify_email, a provider that vouches for it, acceptInvitations).
   * The answer is the same for every email (and when already invited).
   */
  invite(input: In<"invite">): Promise<{ invitation: InvitationReceipt }>;
  /** Claims the invitations sent to the actor's verified email (conflict while it is unverified). */
  acceptInvitations(input: In<"accept_invitations">): Promise<Out<"accept_invitations">>;
  /** Pending invitations show only the invited email (and the name the inviter gave) until claimed. */
  listParticipants(input: In<"list_participants">): Promise<{
    participants: Participant[];
    nextOffset: number | null;
  }>;
}
