// A Worker that calls EventuallService (js-shim/service.mjs) over its service binding
// EVENTUALL, as an app's backend would: it authenticates the request itself (a session token,
// checked through the service as the backend, {admin: true}) and then calls as that user.
// The body never names the caller.
//   POST /sign_up, /create_session      the backend's own calls (admin)
//   POST /<operation>                   Authorization: Bearer <token>; runs as the token's user
//   POST /rpc-as  {method, args}       TEST ONLY: the caller taken from the body, to probe
//                                       what the service refuses; a real app never does this
//   GET  /info
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const name = url.pathname.slice(1);
    const body = request.method === "POST" ? await request.json() : {};
    if (name === "info") return Response.json(await env.EVENTUALL.info());
    if (name === "rpc-as") return Response.json(await env.EVENTUALL[body.method](...body.args));
    if (name === "sign_up") return Response.json(await env.EVENTUALL.signUp({ admin: true }, body));
    if (name === "create_session") return Response.json(await env.EVENTUALL.createSession({ admin: true }, body));
    const token = /^Bearer (\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
    if (!token) return Response.json({ ok: false, error: { code: "unauthenticated", message: "no token" } }, { status: 401 });
    const session = await env.EVENTUALL.validateSession({ admin: true }, { token });
    if (!session.ok) return Response.json(session, { status: 401 });
    return Response.json(await env.EVENTUALL.run({ userId: session.value.user.id }, name, body));
  },
};
