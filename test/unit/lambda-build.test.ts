// The Lambda build (modules/lambda): its stand-ins for the AWS SDK clients it loads on first use (runtime/lazy-*.ts)
// cover every name the server imports, load the real module only when a command is sent, and once. Its Rollup
// plugins' rewrites, and the guard of every dependency patch (plugins/*.ts): each passes on the installed dependency
// and stops the build with a message naming the dependency when the code it expects is gone. The built handler
// itself is run in test/integration/lambda.test.ts.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { builtinModuleSource, checkBuildNode, checkNoBuiltinImports, withoutProcessImports } from '../../modules/lambda/plugins/builtins'
import { packageDir, packageVersion } from '../../modules/lambda/plugins/guard'
import { H3_WEB_RESPONSE } from '../../modules/lambda/plugins/h3-web-response'
import { I18N_API_REQUESTS } from '../../modules/lambda/plugins/i18n-api-requests'
import { checkStandaloneRouter, separateI18nRouterMatcher, standaloneRouter } from '../../modules/lambda/plugins/i18n-router-matcher'
import { checkOfetchShared, ofetchSharedChunk } from '../../modules/lambda/plugins/ofetch-shared'
import { applyPatch, patchDependency } from '../../modules/lambda/plugins/patch-dependency'
import { clientModuleEntry, manifestModuleEntry, moduleEntry } from '../../modules/lambda/plugins/sdk-esm'
import * as ec2 from '../../modules/lambda/runtime/lazy-ec2'
import * as scheduler from '../../modules/lambda/runtime/lazy-scheduler'
import { lazySdk } from '../../modules/lambda/runtime/lazy-sdk'
import * as sts from '../../modules/lambda/runtime/lazy-sts'

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
    // A name missing here fails the Lambda build ("is not exported"): add it to modules/lambda/runtime/lazy-<client>.ts.
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
    const plugin = patchDependency({ name: 'demo', pkg: 'dep', file: /\/node_modules\/dep\/index\.js$/, find: 'slow()', replace: 'fast()' })
    expect(plugin.transform('a(); slow(); b()', '/x/node_modules/dep/index.js')).toEqual({ code: 'a(); fast(); b()', map: null })
    expect(plugin.transform('slow()', '/x/node_modules/other/index.js')).toBeNull()
    expect(() => plugin.transform('renamed()', '/x/node_modules/dep/index.js')).toThrow(/demo: dep .* no longer holds the code this patch replaces, expected once/)
    expect(() => plugin.transform('slow(); slow()', '/x/node_modules/dep/index.js')).toThrow(/2 times holds the code this patch replaces, expected once/)
  })

  it('fails the build when no module of the bundle is the file a patch changes', () => {
    const plugin = patchDependency({ name: 'demo', pkg: 'dep', file: /\/node_modules\/dep\/index\.js$/, find: 'slow()', replace: 'fast()' })
    plugin.transform('a()', '/x/node_modules/other/index.js')
    expect(() => plugin.buildEnd()).toThrow(/\[lambda build\] demo: no module of the bundle matched .* the file this patch changes has moved; see modules\/lambda\/plugins\/demo\.ts/)
    // A build that failed already is not blamed on the patch.
    expect(() => plugin.buildEnd(new Error('earlier'))).not.toThrow()
  })
})

describe('the guards of the Lambda build\'s dependency patches', () => {
  const installed = (pkg: string, file: string) => join(packageDir(pkg), file)

  describe.each([
    { patch: H3_WEB_RESPONSE, file: installed('h3', 'dist/index.mjs') },
    { patch: I18N_API_REQUESTS, file: installed('@nuxtjs/i18n', 'dist/runtime/server/plugin.js') },
  ])('$patch.name', ({ patch, file }) => {
    const code = readFileSync(file, 'utf8')

    it('patches the installed file, which the patch\'s pattern names', () => {
      expect(patch.file.test(file)).toBe(true)
      const out = applyPatch(patch, code, file)
      expect(out).toContain(patch.replace)
      expect(out.length - code.length).toBe(patch.replace.length - patch.find.length)
    })

    it('stops the build, naming the package and its version, when the code it replaces has changed', () => {
      const altered = code.replace(patch.find, '/* the same check, written another way by an update */')
      expect(() => applyPatch(patch, altered, file)).toThrow(`[lambda build] ${patch.name}: ${packageVersion(patch.pkg)} (${file}) no longer holds the code this patch replaces`)
    })
  })

  describe('ofetch-shared', () => {
    const version = packageVersion('ofetch')
    const dir = join(packageDir('ofetch'), 'dist', 'shared')

    it('finds the one chunk of the installed ofetch that exports createFetch as c, FetchError as F, createFetchError as a', () => {
      const chunk = ofetchSharedChunk()
      expect(chunk.startsWith(dir)).toBe(true)
      expect(readFileSync(chunk, 'utf8')).toMatch(/export\s*\{[^}]*createFetch as c\b/)
    })

    it.each([
      ['exports other names', [{ name: 'ofetch.X.mjs', code: 'export { FetchError as F, createFetchError as b, createFetch as c }' }], /does not export createFetchError as a \(expected createFetch as c, FetchError as F, createFetchError as a\)/],
      ['binds a name to another function', [{ name: 'ofetch.X.mjs', code: 'export { FetchError as F, createFetchError as a, ofetch as c }' }], /does not export createFetch as c/],
      ['has two chunks', [{ name: 'ofetch.X.mjs', code: '' }, { name: 'ofetch.Y.mjs', code: '' }], /has 2 ES module chunks in dist\/shared \(ofetch.X.mjs, ofetch.Y.mjs\), expected one/],
      ['has no chunk', [], /has 0 ES module chunks in dist\/shared \(none\)/],
    ])('stops the build, naming the ofetch version, when ofetch\'s shared chunk %s', (_case, files, message) => {
      expect(() => checkOfetchShared(files, version)).toThrow(message)
      expect(() => checkOfetchShared(files, version)).toThrow(`[lambda build] ofetch-shared: ${version}`)
    })

    it('stops the build when ofetch has no shared chunks folder', () => {
      expect(() => ofetchSharedChunk(join(dir, 'missing'), version)).toThrow(`ofetch-shared: ${version} has no dist/shared folder`)
    })
  })

  describe('i18n-router-matcher', () => {
    const matching = installed('@nuxtjs/i18n', 'dist/runtime/shared/matching.js')

    it('serves the installed i18n matcher\'s vue-router import from vue-router\'s standalone build', () => {
      expect(readFileSync(matching, 'utf8')).toMatch(/import \{ createRouterMatcher \} from "vue-router"/)
      const plugin = separateI18nRouterMatcher()
      expect(plugin.resolveId('vue-router', matching)).toBe(standaloneRouter())
      expect(plugin.resolveId('vue-router', installed('nuxt', 'dist/app/index.js'))).toBeNull()
      expect(() => plugin.buildEnd()).not.toThrow()
    })

    it('stops the build when vue-router\'s standalone build no longer exports createRouterMatcher, or imports more than Vue', () => {
      const code = readFileSync(standaloneRouter(), 'utf8')
      const version = packageVersion('vue-router')
      expect(() => checkStandaloneRouter(code.replace(' as createRouterMatcher', ' as createMatcher'), version)).toThrow(`i18n-router-matcher: ${version}'s dist/vue-router.esm-browser.prod.js no longer exports createRouterMatcher`)
      expect(() => checkStandaloneRouter(`import{setupDevtoolsPlugin as x}from"@vue/devtools-api";${code}`, version)).toThrow('now imports @vue/devtools-api, expected Vue only')
      expect(() => standaloneRouter(join(packageDir('vue-router'), 'missing'), version)).toThrow(`${version} has no dist/vue-router.esm-browser.prod.js`)
    })

    it('stops the build when i18n\'s matcher no longer imports vue-router', () => {
      const plugin = separateI18nRouterMatcher()
      expect(plugin.resolveId('vue-router', installed('@nuxtjs/i18n', 'dist/runtime/shared/routing.js'))).toBeNull()
      expect(() => plugin.buildEnd()).toThrow(/i18n-router-matcher: no module of the bundle matching .* imported vue-router \(@nuxtjs\/i18n@[\d.]+\): its route matcher has moved/)
    })
  })

  describe('sdk-esm', () => {
    it.each(['ec2', 'sts', 'scheduler', 'dynamodb'])('finds the installed @aws-sdk/client-%s\'s ES module build', (client) => {
      const entry = clientModuleEntry(`@aws-sdk/client-${client}`)
      expect(entry).toMatch(/dist-es\/index\.js$/)
      expect(statSync(entry).isFile()).toBe(true)
    })

    it('leaves a package with an exports map to its conditions', () => {
      expect(moduleEntry('@smithy/core')).toBeNull()
    })

    it('stops the build when an SDK package has no ES module build, or its file is missing', () => {
      const dir = mkdtempSync(join(tmpdir(), 'ouroboros-sdk-esm-'))
      try {
        writeFileSync(join(dir, 'index.js'), '')
        expect(manifestModuleEntry({ name: '@aws-sdk/x', version: '3.1.0', module: 'index.js' }, dir)).toBe(join(dir, 'index.js'))
        expect(manifestModuleEntry({ name: '@aws-sdk/x', version: '3.1.0', exports: { '.': './index.js' } }, dir)).toBeNull()
        expect(() => manifestModuleEntry({ name: '@aws-sdk/x', version: '3.1.0', main: 'index.cjs' } as never, dir)).toThrow('[lambda build] sdk-esm: @aws-sdk/x@3.1.0 declares no ES module build')
        expect(() => manifestModuleEntry({ name: '@aws-sdk/x', version: '3.1.0', module: 'dist-es/index.js' }, dir)).toThrow('sdk-esm: @aws-sdk/x@3.1.0\'s ES module build dist-es/index.js is missing')
      }
      finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })

    it('stops the build when a lazily loaded client cannot be aliased to its ES module build', () => {
      expect(() => clientModuleEntry('@aws-sdk/client-not-installed')).toThrow('sdk-esm: @aws-sdk/client-not-installed is not installed or now has an exports map')
    })
  })

  describe('builtins', () => {
    it('builds on the Node major of the Lambda runtime infra/hub.yaml deploys, and stops the build on another', () => {
      const hub = readFileSync('infra/hub.yaml', 'utf8')
      expect(() => checkBuildNode(process.versions.node, hub)).not.toThrow()
      const other = `${Number(process.versions.node.split('.')[0]) + 2}.1.0`
      expect(() => checkBuildNode(other, hub)).toThrow(`builtins: the build runs on Node ${other} but infra/hub.yaml deploys nodejs`)
      expect(() => checkBuildNode(process.versions.node, 'Resources: {}')).toThrow('has no `Runtime: nodejsNN.x` line')
    })

    it('lets a finished chunk import node:module only, and stops the build on any other built-in left as an import', () => {
      const rewritten = withoutProcessImports('import{createRequire as e}from"node:module";import t from"node:process";t.env;')
      expect(() => checkNoBuiltinImports(rewritten, 'index.mjs')).not.toThrow()
      // A form of the process import the rewrite does not know, and a built-in some other plugin left external.
      expect(() => checkNoBuiltinImports(withoutProcessImports('import*as t from"node:process";'), 'a.mjs')).toThrow('builtins: the chunk a.mjs still imports node:process as ES modules (expected only node:module)')
      expect(() => checkNoBuiltinImports('import"fs";export*from"node:path";', 'b.mjs')).toThrow('still imports fs, node:path')
      expect(() => checkNoBuiltinImports('import e from"./fs.mjs";import t from"ufo";', 'c.mjs')).not.toThrow()
    })
  })
})
