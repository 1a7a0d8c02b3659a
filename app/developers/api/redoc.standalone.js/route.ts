import { readFile } from "node:fs/promises";
import path from "node:path";

let bundle: Promise<string> | undefined;

/** Redoc's standalone bundle, read from its npm package: the reference needs no CDN. */
export async function GET() {
  bundle ??= readFile(
    path.join(process.cwd(), "node_modules", "redoc", "bundles", "redoc.standalone.js"),
    "utf8",
  );
  return new Response(await bundle, {
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=86400",
    },
  });
}
