// Types for the import Nitro's bundler resolves by alias: the package's exports map has no entry that
// TypeScript can follow to dist/runtime/internal/index.d.ts.
declare module 'nitropack/runtime/internal' {
  export * from 'nitropack/runtime/internal/index'
}
