// server/ and db/ import the `server-only` marker, which Next.js resolves to nothing on the
// server and refuses in the browser's bundle. Outside Next.js (this command line) the package's
// default entry throws, so the marker resolves to its empty module as React's server build would.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === "server-only") {
    return nextResolve(specifier, {
      ...context,
      conditions: [...context.conditions, "react-server"],
    });
  }
  return nextResolve(specifier, context);
}
