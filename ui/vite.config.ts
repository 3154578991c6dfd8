import { defineConfig } from "vite";

// Plain TypeScript, no framework. Relative asset paths so the same build runs
// in the Tauri window and behind the test bridge.
export default defineConfig({
  base: "./",
  clearScreen: false,
  build: { target: "es2021", outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 600 },
  server: { port: 1420, strictPort: true },
});
