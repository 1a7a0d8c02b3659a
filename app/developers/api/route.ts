/**
 * The API reference: the OpenAPI document rendered by Redoc, whose bundle is served from this
 * app (no CDN), so the page works offline. Its script carries the request's nonce: the pages'
 * policy (proxy.ts) runs no script without one.
 */
export function GET(request: Request) {
  const nonce = (request.headers.get("x-nonce") ?? "").replace(/[^A-Za-z0-9+/=]/g, "");
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API reference · Outflow</title>
<link rel="icon" href="/icon.svg" type="image/svg+xml">
<style>body{margin:0}</style>
</head>
<body>
<redoc spec-url="/api/v1/openapi.json" hide-download-button="false"></redoc>
<script nonce="${nonce}" src="/developers/api/redoc.standalone.js"></script>
</body>
</html>`;
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
}
