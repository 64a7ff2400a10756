// The Lambda build's stand-ins for the AWS SDK clients it loads on first use (infra/lambda/lazy-*.ts):
// they cover every name the server imports, load the real module only when a command is sent, and once.
// And its Rollup plugins' rewrites (infra/lambda/builtins.ts, patch-dependency.ts); the built handler itself
// is run in test/integration/lambda.test.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { builtinModuleSource, withoutProcessImports } from '../../infra/lambda/builtins'
import * as ec2 from '../../infra/lambda/lazy-ec2'
import * as scheduler from '../../infra/lambda/lazy-scheduler'
import { lazySdk } from '../../infra/lambda/lazy-sdk'
import * as sts from '../../infra/lambda/lazy-sts'
import { patchDependency } from '../../infra/lambda/patch-dependency'

const LAZY: Record<string, Record<string, unknown>> = { '@aws-sdk/client-ec2': ec2, '@aws-sdk/client-sts': sts, '@aws-sdk/client-scheduler': scheduler }

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|vue)$/.test(name) ? [path] : []
  })
}

describe('lazy AWS SDK clients of the Lambda build', () => {
  it('export every value the server imports from the packages they stand in for', () => {
    const missing: string[] = []
    for (const file of [...sourceFiles('server'), ...sourceFiles('shared')]) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/^import\s+(?!type\b)\{([^}]*)\}\s+from\s+'(@aws-sdk\/client-(?:ec2|sts|scheduler))'/gm)) {
        const names = m[1]!.split(',').map(n => n.trim()).filter(n => n && !n.startsWith('type '))
        for (const name of names) if (!(name in LAZY[m[2]!]!)) missing.push(`${m[2]}: ${name} (${file})`)
      }
    }
    // A name missing here fails the Lambda build ("is not exported"): add it to infra/lambda/lazy-<client>.ts.
    expect(missing).toEqual([])
  })

  it('loads the real module on the first send only, once, and passes the config and input through', async () => {
    const sent: unknown[] = []
    class RealClient {
      constructor(readonly config: unknown) {}
      async send(command: { input: unknown }) {
        sent.push({ config: this.config, input: command.input })
        return { ok: true }
      }
    }
    class RealCommand {
      constructor(readonly input: unknown) {}
    }
    const load = vi.fn(async () => ({ RealClient, RealCommand }))
    const sdk = lazySdk(load)
    const Client = sdk.client('RealClient')
    const Command = sdk.command('RealCommand')
    const client = new Client({ region: 'eu-west-1' })
    const command = new Command({ InstanceIds: ['i-1'] })
    expect(load).not.toHaveBeenCalled()
    expect(await client.send(command)).toEqual({ ok: true })
    await client.send(new Command({ InstanceIds: ['i-2'] }))
    expect(load).toHaveBeenCalledTimes(1)
    expect(sent).toEqual([
      { config: { region: 'eu-west-1' }, input: { InstanceIds: ['i-1'] } },
      { config: { region: 'eu-west-1' }, input: { InstanceIds: ['i-2'] } },
    ])
  })
})

describe('the Lambda build\'s Rollup plugins', () => {
  it('rewrites imports of node:process to the process global, with the same bindings', () => {
    const code = 'import e from"node:process";globalThis.x=e.env;import{versions as h,env as p,argv}from"node:process";const m=1;'
    const out = withoutProcessImports(code)
    expect(out).toBe('const e=process;globalThis.x=e.env;const{versions:h,env:p,argv}=process;const m=1;')
    expect(withoutProcessImports('import x from"node:fs";')).toBe('import x from"node:fs";')
  })

  it('stands in for a built-in with require()\'s own object, exporting its names', () => {
    const source = builtinModuleSource('path')
    expect(source).toContain('__createRequire(import.meta.url)(\'node:path\')')
    // Every export of node:path, under its own name.
    for (const name of ['join', 'resolve', 'sep', 'posix']) expect(source).toMatch(new RegExp(`as ${name} }`))
    expect(source).not.toMatch(/as default }/)
  })

  it('patches one exact piece of one dependency file, and fails the build when the piece is gone', () => {
    const plugin = patchDependency('demo', /\/node_modules\/dep\/index\.js$/, 'slow()', 'fast()')
    expect(plugin.transform('a(); slow(); b()', '/x/node_modules/dep/index.js')).toEqual({ code: 'a(); fast(); b()', map: null })
    expect(plugin.transform('slow()', '/x/node_modules/other/index.js')).toBeNull()
    expect(() => plugin.transform('renamed()', '/x/node_modules/dep/index.js')).toThrow(/no longer holds the code this patch replaces/)
  })
})
