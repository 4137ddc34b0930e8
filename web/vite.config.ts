import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The Cairn server serves web/dist: /assets/* as immutable files, every other
// non-API path as index.html (the app routes in the browser).
export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:18090",
      "/healthz": "http://127.0.0.1:18090",
    },
  },
});
