import { dirname, join } from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { notFound } from "./errors.ts";

/** Swagger UI ships as static files: the docs page loads nothing from outside this server. */
const assetsDir = dirname(Bun.resolveSync("swagger-ui-dist/package.json", import.meta.dir));
const assetTypes: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

const page = (specUrl: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>tickflow API</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script>
      window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specUrl)}, dom_id: "#swagger-ui", deepLinking: true });
    </script>
  </body>
</html>
`;

/** Interactive docs of the spec at `specUrl`, served at `/docs`. */
export const registerDocs = (app: OpenAPIHono, specUrl: string) => {
  const html = page(specUrl);
  app.get("/docs", (c) => c.html(html));
  app.get("/docs/:asset", (c) => {
    const name = c.req.param("asset");
    const type = assetTypes[name];
    if (type === undefined) return notFound(c);
    return new Response(Bun.file(join(assetsDir, name)), {
      headers: { "content-type": type, "cache-control": "public, max-age=86400" },
    });
  });
};
