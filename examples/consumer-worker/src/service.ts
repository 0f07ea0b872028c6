// The data layer as its own Worker (service.wrangler.jsonc): EventuallService over Workers
// RPC, bound to the two D1 databases. Callers bind to it by name ("eventuall-service").
export { EventuallService as default } from "eventuall-data/service";
