import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The console is plain Preact with esbuild's automatic JSX: no framework plugin needed.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: { outDir: "dist", emptyOutDir: true, assetsDir: "assets", sourcemap: false },
});
