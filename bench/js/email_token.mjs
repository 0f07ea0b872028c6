// The email verification token sign_up issues, for the bench's other sides:
// 32 random bytes as base64url, stored as the hex SHA-256 (WebCrypto, so it runs
// in node and in workerd), valid for a day like the core's default.
export const VERIFICATION_TTL_SECONDS = 24 * 60 * 60;

export async function newVerificationToken() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const token = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  const hash = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  return { token, hash };
}
