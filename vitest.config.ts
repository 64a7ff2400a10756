import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('.', import.meta.url))

// Two projects: unit (pure logic, no services) and integration (moto + embedded store + built server).
export default defineConfig({
  resolve: {
    alias: { '#shared': `${root}shared`, '~~': root },
  },
  test: {
    projects: [
      {
        extends: true,
        // One module graph per worker, not per file: the unit files share no state (no vi.mock, and each restores its
        // timers and globals), and re-importing the app's modules for each of 60-odd files was 9/10 of the suite's time.
        // The timeout is a wait, not a speed check: npm test runs this suite niced beside the builds and the browser
        // suite, and a test that expands years of recurring events took 6 s there.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', isolate: false, testTimeout: 30_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          // A wait, not a speed check: npm test runs this suite beside the browser suite, and a test that starts the
          // server twice and waits out a key window took over 30 s on a loaded machine.
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // The built server and moto are shared: run files one at a time to keep the 2-core machine calm.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // Builds the app once (like the integration tests); the browser tests run against that build.
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // A wait, not a speed check: a lazily loaded dialog takes its focus later on a loaded machine than vitest's
          // 1 s default for expect.poll.
          expect: { poll: { timeout: 10_000 } },
          fileParallelism: false,
        },
      },
    ],
  },
})
