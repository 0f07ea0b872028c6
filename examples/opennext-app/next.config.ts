import type { NextConfig } from "next";
import { initOpenNextCloudflareForDev } from "@opennextjs/cloudflare";

const nextConfig: NextConfig = {};
export default nextConfig;

// `next dev`: bindings (EVENTUALL included) from wrangler's getPlatformProxy.
initOpenNextCloudflareForDev();
