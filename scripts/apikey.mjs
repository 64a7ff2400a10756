#!/usr/bin/env node
// `npm run apikey -- create|list|revoke ...`: API keys, in the app's store or through a running app (--url).
// The logic is server/cli/apikey.ts, loaded through jiti with the app's '#shared' alias.
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const { createJiti } = await import('jiti')
const jiti = createJiti(import.meta.url, {
  alias: { '#shared': join(root, 'shared'), '~~': root },
  fsCache: join(root, 'node_modules', '.cache', 'jiti-apikey'),
})
const { runCli } = await jiti.import(pathToFileURL(join(root, 'server/cli/apikey.ts')).href)
const code = await runCli(process.argv.slice(2), process.env, s => console.log(s), s => console.error(s))
process.exit(code)
