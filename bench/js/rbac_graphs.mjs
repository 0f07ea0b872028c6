// Adversarial role graphs (issue 14), built through the operations an owner
// has (define_role, grant_access), so every limit of the core applies. The
// same shapes as bench/rbac_bench.cpp's graph section:
//   flat     3 roles: the granted role inherits the two others (depth 1)
//   diamond  17 layers of 2, each role inheriting both roles of the layer
//            below: 34 roles, depth 16 (the limit), 2^16 paths
//   chain    17 roles in one line: depth 16 (the limit)
//   fan-out  200 roles (an account's limit): one granted role over 9 layers
//            of 20 and a bottom layer of 19, each role inheriting every role
//            of the layer below (20 parents, the limit), depth 10, 20^8*19 paths
// In each, `stage.present` sits only on the deepest role(s), so `can` and
// `explain_permission` walk the whole graph, and each graph has its own
// account, event and user.

export const OWNER = "seedusereventuall0000001";
export const PERMISSION = "stage.present";
export const DEPTH = 16; // kMaxInheritanceDepth
export const PARENTS = 20; // kMaxParentsPerRole
export const ROLES = 200; // kMaxRolesPerAccount

// Layers from the bottom up: sizes[0] is the deepest layer.
export const GRAPHS = {
  flat: [2, 1],
  diamond: Array(DEPTH + 1).fill(2),
  chain: Array(DEPTH + 1).fill(1),
  "fan-out": [ROLES - 1 - 9 * PARENTS, ...Array(9).fill(PARENTS), 1],
};

/**
 * Builds one graph with `call(op, input)` (resolving to the value, throwing
 * on an error). The flat graph's bottom layer of 2 is inherited by its top
 * role like every layer. Resolves to { eventId, userId, roles, depth }.
 */
export async function buildGraph(name, call) {
  const sizes = GRAPHS[name];
  const { account } = await call("create_account", { actorUserId: OWNER, name: `graph ${name}` });
  const { event } = await call("create_event", { actorUserId: OWNER, accountId: account.id, name: `graph ${name}` });
  let below = [];
  let roles = 0;
  for (const [layer, size] of sizes.entries()) {
    const here = [];
    for (let i = 0; i < size; i++) {
      const { role } = await call("define_role", {
        actorUserId: OWNER,
        accountId: account.id,
        name: `${name}_${layer}_${i}`,
        permissions: layer === 0 ? [PERMISSION] : [],
        inherits: below,
      });
      here.push(role.id);
      roles++;
    }
    below = here;
  }
  const { user } = await call("sign_up", { email: `graph-${name}@bench.example`, name: `graph ${name}` });
  await call("grant_access", { actorUserId: OWNER, userId: user.id, eventId: event.id, roleId: below[0] });
  return { eventId: event.id, userId: user.id, roles, depth: sizes.length - 1 };
}

/** The three reads measured on each graph, as [op, input]. */
export function graphReads({ eventId, userId }) {
  return {
    can: ["can", { userId, eventId, permission: PERMISSION }],
    effective_permissions: ["effective_permissions", { userId, eventId }],
    explain_permission: ["explain_permission", { userId, eventId, permission: PERMISSION }],
  };
}
