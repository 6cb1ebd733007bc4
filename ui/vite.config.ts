/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The UI is served by Vite in development (Tauri's devUrl points at port 5173)
// and embedded from ui/dist in release builds, hence the relative base.
export default defineConfig({
  base: "./",
  plugins: [react()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    host: "localhost",
    // The glossary test reads docs/glossary.md, beside the UI.
    fs: { allow: [".", "../docs"] },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Linux builds run in WebKitGTK, which tracks Safari's feature set.
    target: "safari15",
    sourcemap: false,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    // Screens render a whole app shell; a busy machine needs more than the 5 s default.
    testTimeout: 20_000,
  },
});
