import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

const DIST = join(import.meta.dirname, "..", "..", "web", "dist");

/**
 * The web console (web/, built by `npm ci` into web/dist): hashed assets are cached for a year,
 * index.html never, so a new build is picked up at once.
 */
export async function registerConsole(app: FastifyInstance): Promise<void> {
  if (!existsSync(join(DIST, "index.html"))) {
    app.get("/", { schema: { hide: true } }, async (_request, reply) =>
      reply.type("text/plain").send("The console is not built: run `npm run build:web` (npm ci does it too).\n"),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: DIST,
    prefix: "/",
    wildcard: false,
    decorateReply: false,
    setHeaders: (res, path) => {
      const immutable = path.includes(`${join("dist", "assets")}`);
      res.header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
}
