// Types for dynalite, which ships none (the server uses it; tests import the server utils).
declare module 'dynalite' {
  import type { Server } from 'node:http'

  interface DynaliteOptions {
    path?: string
    createTableMs?: number
    deleteTableMs?: number
    updateTableMs?: number
    maxItemSizeKb?: number
  }
  function dynalite(options?: DynaliteOptions): Server
  export default dynalite
}
