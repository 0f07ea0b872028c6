// Compile-only use of the identity and accounts declarations (imported by usage.ts).
import type { Eventuall, ApiKey, Session, SignInWithProviderResult } from "../../js-shim/eventuall.mjs";

export async function identityAndAccounts(ev: Eventuall): Promise<string> {
  const signedIn: SignInWithProviderResult = await ev.signInWithProvider({
    provider: "github",
    providerAccountId: "42",
    email: "a@b.co",
  });
  const personal: string | undefined = signedIn.account?.id;
  const { token, session } = await ev.createSession({ userId: signedIn.user.id, ttlSeconds: 3600 });
  const checked: Session = (await ev.validateSession({ token })).session;
  await ev.extendSession({ token, ttlSeconds: 60 });
  await ev.revokeSession({ sessionId: session.id, userId: signedIn.user.id });
  await ev.revokeSession({ token });
  const { revoked } = await ev.revokeUserSessions({ userId: signedIn.user.id });

  const login = await ev.issueLoginToken({ userId: signedIn.user.id });
  const { user } = await ev.consumeLoginToken({ token: login.token });
  const { key, apiKey } = await ev.createApiKey({ userId: user.id, name: "ci", scopes: ["events:read"] });
  const authed: ApiKey = (await ev.authenticateApiKey({ key, scope: "events:read" })).apiKey;
  const keys: ApiKey[] = (await ev.listApiKeys({ userId: user.id })).apiKeys;
  await ev.revokeApiKey({ userId: user.id, keyId: apiKey.id });
  await ev.linkProvider({ userId: user.id, provider: "google", providerAccountId: "g" });
  const { unlinked } = await ev.unlinkProvider({ userId: user.id, provider: "google" });

  const { account } = await ev.createAccount({ actorUserId: user.id, name: "Org" });
  await ev.renameAccount({ actorUserId: user.id, accountId: account.id, name: "Org 2" });
  await ev.addAccountOwner({ actorUserId: user.id, accountId: account.id, userId: signedIn.user.id });
  const { removed } = await ev.removeAccountOwner({ actorUserId: user.id, accountId: account.id, userId: user.id });
  const { accounts } = await ev.listUserAccounts({ userId: user.id });
  const kinds: Array<"personal" | "organization"> = accounts.map((a) => a.kind);
  return `${personal} ${checked.id} ${revoked} ${authed.keyPrefix} ${keys.length} ${unlinked.length} ${removed.userId} ${kinds}`;
}
