// The reference for the Lambda benchmark: a bare Nitro aws-lambda build (one JSON route), made with the
// project's own nitropack in bench/.cache/lambda-bare, so both builds come from the same tool versions.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { build, copyPublicAssets, createNitro, prepare } from 'nitropack'
import { ROOT } from './report'

export const BARE_DIR = join(ROOT, 'bench', '.cache', 'lambda-bare')

/** Builds the hello-world app afresh; answers its output directory (server/ and public/ as in ours). */
export async function buildBareLambda(): Promise<string> {
  rmSync(BARE_DIR, { recursive: true, force: true })
  mkdirSync(join(BARE_DIR, 'routes', 'api'), { recursive: true })
  mkdirSync(join(BARE_DIR, 'public'), { recursive: true })
  writeFileSync(join(BARE_DIR, 'routes', 'api', 'hello.ts'), 'export default defineEventHandler(() => ({ hello: \'world\' }))\n')
  writeFileSync(join(BARE_DIR, 'routes', 'index.ts'), 'export default defineEventHandler(() => \'hello\')\n')
  writeFileSync(join(BARE_DIR, 'public', 'hello.txt'), 'hello\n')
  const nitro = await createNitro({ rootDir: BARE_DIR, preset: 'aws-lambda', dev: false, logLevel: 1, compatibilityDate: '2025-01-01' })
  await prepare(nitro)
  await copyPublicAssets(nitro)
  await build(nitro)
  await nitro.close()
  return join(BARE_DIR, '.output')
}
