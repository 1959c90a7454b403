/**
 * Headers every answer carries (issue 18, finding 4). The console is the only page that runs
 * script, and it loads all of it from its own origin: no inline script or style, no framing, no
 * plug-ins, no form posts elsewhere. API answers are data, never to be cached by a browser or a
 * proxy on the way: a key's rules and alerts must not outlive the request in anyone's cache.
 */
import type { FastifyInstance } from "fastify";

const policy = (directives: Record<string, string>) =>
  Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join("; ");

const STRICT = {
  "default-src": "'self'",
  "script-src": "'self'",
  "style-src": "'self'",
  "img-src": "'self' data:",
  "font-src": "'self'",
  "connect-src": "'self'",
  "object-src": "'none'",
  "base-uri": "'none'",
  "form-action": "'self'",
  "frame-ancestors": "'none'",
};

export const CONSOLE_CSP = policy(STRICT);

/**
 * Swagger UI (at /docs) loads only its own files too, but sets inline styles as it renders and
 * draws its icons from data: URLs; it is otherwise held to the console's policy.
 */
export const DOCS_CSP = policy({ ...STRICT, "style-src": "'self' 'unsafe-inline'" });

const DOCS = /^\/docs(\/|$|\?)/;

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook("onSend", async (request, reply) => {
    reply.header("content-security-policy", DOCS.test(request.url) ? DOCS_CSP : CONSOLE_CSP);
    reply.header("x-frame-options", "DENY");
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    // The console's files set their own (a year for hashed assets, revalidate for index.html).
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
  });
}
