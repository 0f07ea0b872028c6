// RBAC: permissions, roles with inheritance, access grants, invitations,
// participants. Owners of an event's account hold every permission on it.

import type { AccessGrantsRow, InvitationsRow, PermissionName, PermissionsRow, RolesRow } from "./contracts.d.mts";

export type Permission = PermissionsRow;

export type Role = RolesRow;

export type AccessGrant = AccessGrantsRow;

export type Invitation = InvitationsRow;

/**
 * What `invite` answers, the same for every email: an echo of the invitation
 * asked for. Whether the address belonged to a verified user (granted now) or
 * not (a pending invitation, claimed once the email is verified) is not told.
 */
export interface InvitationReceipt {
  email: string;
  eventId: string;
  roomId: string | null;
  roleId: string;
  expiresAt: number | null;
  status: "sent";
}

export interface Participant {
  participantKind: "user" | "pending";
  participantId: string;
  userId: string | null;
  pendingProfileId: string | null;
  name: string | null;
  email: string;
  roomId: string | null;
  roomName: string | null;
  roleId: string;
  roleName: string;
  source: string;
  grantedAt: number;
}

export interface PermissionCheckInput {
  userId: string;
  eventId: string;
  roomId?: string;
}

export interface Explanation {
  permission: string;
  allowed: boolean;
  via?: "account_owner" | "grant";
  grantId?: string;
  roomId?: string | null;
  /** Granted role, then each inherited role up to the one that confers the permission. */
  path?: string[];
  heldRoles?: string[];
  reason: string;
}

export interface RbacOperations {
  /** A permission outside the catalog is invalid_input, never allowed: false. */
  can(input: PermissionCheckInput & { permission: PermissionName }): Promise<{ allowed: boolean }>;
  explainPermission(input: PermissionCheckInput & { permission: PermissionName }): Promise<Explanation>;
  effectivePermissions(input: PermissionCheckInput): Promise<{ permissions: string[] }>;
  /** Administrative: not for end users. */
  definePermission(input: { name: string; description?: string }): Promise<{ permission: Permission }>;
  /** Without actorUserId: administrative (platform role when no accountId). With it: the actor must own accountId. */
  defineRole(input: {
    name: string;
    description?: string;
    accountId?: string;
    actorUserId?: string;
    permissions?: PermissionName[];
    inherits?: string[];
  }): Promise<{ role: Role; permissions: string[]; inherits: string[] }>;
  addRolePermission(input: { roleId: string; permission: PermissionName; actorUserId?: string }): Promise<{
    roleId: string;
    permission: string;
    added: boolean;
  }>;
  /** conflict, naming the cycle, when roleId is already an ancestor of parentRoleId. */
  addRoleInheritance(input: { roleId: string; parentRoleId: string; actorUserId?: string }): Promise<{
    roleId: string;
    parentRoleId: string;
    added: boolean;
  }>;
  grantAccess(input: {
    actorUserId: string;
    userId: string;
    eventId: string;
    roomId?: string;
    roleId: string;
    expiresAt?: number;
  }): Promise<{ grant: AccessGrant; created: boolean }>;
  revokeAccess(input: { actorUserId: string; grantId: string }): Promise<{ revoked: AccessGrant }>;
  /**
   * A verified user is granted at once; anyone else gets a pending invitation, claimed once the
   * email is verified. The answer is the same either way (and when already invited or granted).
   */
  invite(input: {
    actorUserId: string;
    email: string;
    name?: string;
    eventId: string;
    roomId?: string;
    roleId: string;
    expiresAt?: number;
  }): Promise<{ invitation: InvitationReceipt }>;
  listParticipants(input: { actorUserId: string; eventId: string; limit?: number; offset?: number }): Promise<{
    participants: Participant[];
    nextOffset: number | null;
  }>;
}
