import { defineConfig } from "vitest/config";

/** Browser tests: real backend in demo mode as a child process, Debian Chromium through the harness. */
export default defineConfig({
  test: {
    name: "e2e",
    environment: "node",
    include: ["test/e2e/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // One browser and one backend at a time: the machine has two cores.
    fileParallelism: false,
    maxWorkers: 1,
  },
});
