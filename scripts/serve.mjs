#!/usr/bin/env node
// Serves the built app on PORT, as `next start` does, with one difference: every request's
// X-Forwarded-For is set from the connection (see client-address.mjs), so the sign-in rate
// limit counts real addresses. Used by `npm start` and the browser tests.
import http from "node:http";
import next from "next";
import { applyClientAddress, trustedProxyList } from "./client-address.mjs";

const port = Number(process.env.PORT ?? 3000);
const trusted = trustedProxyList(process.env.OUTFLOW_TRUSTED_PROXIES);

const app = next({ dev: false, dir: process.cwd(), hostname: "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((request, response) => {
  applyClientAddress(request.headers, request.socket.remoteAddress, trusted);
  handle(request, response);
});
server.listen(port, () => {
  console.log(`[outflow] ready on http://localhost:${port}`);
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
