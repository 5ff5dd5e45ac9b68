import { defineConfig } from "drizzle-kit";

/** `bunx drizzle-kit generate` writes a new migration into migrations/sqlite/ after a schema change. */
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/runtime/store/sqlite/schema.ts",
  out: "./migrations/sqlite",
});
