// The embedded store's engine on its own: dynalite with its data on disk in a fresh temporary directory,
// started as server/utils/store.ts starts it, but answering its endpoint so a benchmark can open several clients on it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import dynalite from 'dynalite'

export interface Dynalite {
  endpoint: string
  dataDir: string
  /** Stops the server and removes its data. */
  close: () => Promise<void>
}

/** Starts dynalite on a loopback port (a free one unless `port` is given) with its data in a new temporary directory. */
export async function startDynalite(prefix = 'ouroboros-bench-', port = 0): Promise<Dynalite> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix))
  const path = join(dataDir, 'dynamodb')
  mkdirSync(path, { recursive: true })
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
  await new Promise<void>((ok, ko) => {
    server.once('error', ko)
    server.listen(port, '127.0.0.1', () => ok())
  })
  const address = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    dataDir,
    close: async () => {
      await new Promise<void>(ok => server.close(() => ok()))
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
