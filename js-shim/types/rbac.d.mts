// RBAC: permissions, roles, grants.

export interface RbacOperations {}
