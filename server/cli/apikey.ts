// `npm run apikey -- create|list|revoke`: manages API keys in the store the app uses, or through a running app's API.
// The embedded store (dynalite, LevelDB) can be opened by one process at a time: while the app runs, use --url.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { userInfo } from 'node:os'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Page } from '#shared/schemas/list'
import { envName, parseServerConfig } from '../utils/config'
import type { ServerConfig } from '../utils/config'
import { openStore } from '../utils/store'
import { ensureTables } from '../utils/tables'
import { createAccess } from '../utils/access/access'
import type { AuditInput } from '../utils/audit/repository'
import { formatQuota, KeyInputSchema } from '#shared/schemas/key'
import type { ApiKeyView } from '#shared/schemas/key'

/** A failure to report in one line, without a stack. */
export class CliError extends Error {
  override name = 'CliError'
}

export const USAGE = `usage: npm run apikey -- <command> [options]

  create --name <name> --scope read|admin [--rate <req/s>] [--burst <n>] [--quota <n>/day|<n>/month]
  list
  revoke <id>

options:
  --url <app url>   talk to a running app (its admin API) instead of the store; the admin key is read from
                    the OUROBOROS_API_KEY environment variable, never from the command line
  --json            print JSON

The store is the app's own: NUXT_STORE, NUXT_DATA_DIR, NUXT_TABLE_PREFIX, AWS_REGION and AWS_ENDPOINT_URL_DYNAMODB
are read as the app reads them. The embedded store can be opened while the app is stopped only: use --url otherwise.`

/** What the CLI does, over the store or over HTTP. */
export interface KeyAdmin {
  create: (input: unknown) => Promise<ApiKeyView & { key: string }>
  list: () => Promise<ApiKeyView[]>
  revoke: (id: string) => Promise<ApiKeyView>
  close: () => Promise<void>
}

/** The app's configuration from its NUXT_* variables (the scheduler settings do not matter here). */
export function configFromEnv(env: NodeJS.ProcessEnv): ServerConfig {
  const raw = Object.fromEntries((['store', 'dataDir', 'tablePrefix'] as const)
    .map(k => [k, env[envName(k)]])
    .filter(([, v]) => v !== undefined && v !== ''))
  return parseServerConfig({ ...raw, scheduler: 'local' }, env)
}

/** Fails with a clear message when a running app holds the embedded store's lock (LevelDB allows one process). */
export async function assertEmbeddedStoreFree(dataDir: string): Promise<void> {
  const path = resolve(dataDir, 'dynamodb')
  if (!existsSync(path)) return
  // dynalite's own LevelDB binding, to try the lock the app would hold.
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'))
  const { Level } = fromDynalite('level') as { Level: new (path: string) => { open: () => Promise<void>, close: () => Promise<void> } }
  const db = new Level(path)
  try {
    await db.open()
  }
  catch (e) {
    if ((e as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED') {
      throw new CliError(`the embedded store in ${path} is in use by a running app (it allows one process at a time): stop the app, or run this with --url http://localhost:3000 and OUROBOROS_API_KEY set to an admin key`)
    }
    throw e
  }
  await db.close()
}

/** The store the app uses, directly: creates keys, lists and revokes them, and writes their audit records. */
export async function storeAdmin(config: ServerConfig): Promise<KeyAdmin> {
  if (config.store === 'embedded') await assertEmbeddedStoreFree(config.dataDir)
  const store = await openStore(config)
  if (config.store === 'embedded') await ensureTables(store.client, config.accessTables)
  const access = createAccess(store.doc, config)
  const actor = `cli (${userInfo().username})`
  const audit = (input: Omit<AuditInput, 'keyId' | 'keyName' | 'ip' | 'status'>) =>
    access.audit.record({ keyId: 'cli', keyName: actor, ip: 'local', status: 200, ...input })
  const missingTable = (e: unknown) => {
    if ((e as Error)?.name !== 'ResourceNotFoundException') return e
    return new CliError(`the keys tables (${Object.values(config.accessTables).join(', ')}) do not exist in DynamoDB in ${config.region}: deploy the stack in infra/ first, or check NUXT_TABLE_PREFIX and AWS_REGION`)
  }
  return {
    async create(input) {
      const parsed = KeyInputSchema.safeParse(input)
      if (!parsed.success) throw new CliError(parsed.error.issues.map(i => i.message).join('; '))
      const { key, record } = await access.keys.create(parsed.data, { createdBy: 'cli' }).catch((e) => {
        throw missingTable(e)
      })
      await audit({ route: 'CLI create', path: 'npm run apikey -- create', summary: `created ${record.scope} key ${record.id} '${record.name}' (${record.rateLimit}/s, burst ${record.burst}, quota ${formatQuota(record.quota)})` })
      return { ...record, key }
    },
    async list() {
      const all: ApiKeyView[] = []
      let cursor: string | undefined
      do {
        const page: Page<ApiKeyView> = await access.keys.list({ limit: 100, cursor }).catch((e) => {
          throw missingTable(e)
        })
        all.push(...page.items)
        cursor = page.cursor ?? undefined
      } while (cursor)
      return all
    },
    async revoke(id) {
      const record = await access.keys.revoke(id).catch((e) => {
        throw (e as Error).name === 'KeyNotFound' ? new CliError((e as Error).message) : missingTable(e)
      })
      await audit({ route: 'CLI revoke', path: 'npm run apikey -- revoke', summary: `revoked ${record.scope} key ${record.id} '${record.name}'` })
      return record
    },
    close: () => store.close(),
  }
}

/** A running app's admin API, with the admin key from OUROBOROS_API_KEY. */
export function httpAdmin(url: string, apiKey: string | undefined, fetcher: typeof fetch = fetch): KeyAdmin {
  if (!apiKey) throw new CliError('--url needs an admin key in the OUROBOROS_API_KEY environment variable')
  const base = url.replace(/\/+$/, '')
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response
    try {
      res = await fetcher(`${base}${path}`, {
        method,
        headers: { 'x-api-key': apiKey!, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    }
    catch (e) {
      throw new CliError(`cannot reach ${base}: ${(e as Error).message}`)
    }
    const json = await res.json().catch(() => ({})) as { statusMessage?: string }
    if (!res.ok) throw new CliError(`${res.status}: ${json.statusMessage ?? res.statusText}`)
    return json as T
  }
  return {
    create: input => call('POST', '/api/keys', input),
    async list() {
      const all: ApiKeyView[] = []
      let cursor: string | null = null
      do {
        const page: Page<ApiKeyView> = await call('GET', `/api/keys?limit=100${cursor ? `&cursor=${cursor}` : ''}`)
        all.push(...page.items)
        cursor = page.cursor
      } while (cursor)
      return all
    },
    revoke: id => call('DELETE', `/api/keys/${encodeURIComponent(id)}`),
    close: async () => {},
  }
}

function table(keys: ApiKeyView[]): string {
  const rows = [['ID', 'NAME', 'SCOPE', 'RATE/S', 'BURST', 'QUOTA', 'CREATED', 'LAST USED', 'REVOKED']]
  for (const k of keys) {
    rows.push([k.id, k.name, k.scope, String(k.rateLimit), String(k.burst), formatQuota(k.quota), k.createdAt, k.lastUsedAt ?? '-', k.revokedAt ?? '-'])
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map(r => r[i]!.length)))
  return rows.map(r => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')
}

/** The create command's options as the API's body. */
export function createInput(values: Record<string, string | boolean | undefined>): Record<string, unknown> {
  const number = (name: string) => {
    const v = values[name]
    if (v === undefined) return undefined
    const n = Number(v)
    if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new CliError(`--${name} must be a number`)
    return n
  }
  const quota = values.quota
  return {
    name: values.name,
    scope: values.scope,
    ...(values.rate === undefined ? {} : { rateLimit: number('rate') }),
    ...(values.burst === undefined ? {} : { burst: number('burst') }),
    ...(quota === undefined ? {} : { quota: quota === 'none' ? null : quota }),
  }
}

/** Runs the CLI; answers the exit code. `out` and `err` print a line. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, out: (s: string) => void, err: (s: string) => void, open = storeAdmin): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        scope: { type: 'string' },
        rate: { type: 'string' },
        burst: { type: 'string' },
        quota: { type: 'string' },
        url: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  }
  catch (e) {
    err(`${(e as Error).message}\n\n${USAGE}`)
    return 2
  }
  const { values, positionals: [command, ...rest] } = parsed
  if (values.help || !command || !['create', 'list', 'revoke'].includes(command) || (command === 'revoke' && rest.length !== 1)) {
    ;(values.help ? out : err)(USAGE)
    return values.help ? 0 : 2
  }
  let admin: KeyAdmin | undefined
  try {
    admin = values.url ? httpAdmin(values.url, env.OUROBOROS_API_KEY) : await open(configFromEnv(env))
    if (command === 'create') {
      const created = await admin.create(createInput(values))
      if (values.json) out(JSON.stringify(created, null, 2))
      else out(`created ${created.scope} key ${created.id} '${created.name}': ${created.rateLimit} requests/s, bursts of ${created.burst}, quota ${formatQuota(created.quota)}\n\n    ${created.key}\n\nThis is the only time the key is shown (only its hash is stored): keep it now.`)
    }
    else if (command === 'list') {
      const keys = await admin.list()
      out(values.json ? JSON.stringify(keys, null, 2) : keys.length ? table(keys) : 'no API keys')
    }
    else {
      const revoked = await admin.revoke(rest[0]!)
      out(values.json ? JSON.stringify(revoked, null, 2) : `revoked key ${revoked.id} '${revoked.name}' at ${revoked.revokedAt}`)
    }
    return 0
  }
  catch (e) {
    err(e instanceof CliError || (e as Error)?.name === 'ConfigError' ? `apikey: ${(e as Error).message}` : `apikey: ${(e as Error)?.stack ?? e}`)
    return 1
  }
  finally {
    await admin?.close()
  }
}
