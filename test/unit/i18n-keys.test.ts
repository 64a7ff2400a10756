// Every message the UI asks for exists in both languages: the two locale files hold the same keys, every literal
// key in a t() call is in them, and every key built from a prefix (t(`status.${s}`)) has that prefix as a group.
// The browser tests catch what no reading of the source can: test/e2e/helpers/browser.ts fails a page on any
// missing-key warning, which i18n/i18n.config.ts raises in every build.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const LOCALES = ['en', 'zh-CN'] as const

type Messages = { [key: string]: string | Messages }
const messages = Object.fromEntries(LOCALES.map(l => [l, JSON.parse(readFileSync(join(ROOT, 'i18n/locales', `${l}.json`), 'utf8')) as Messages]))

/** Every leaf key, dotted. */
function leaves(tree: Messages, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : leaves(v, `${prefix}${k}.`)))
}
function lookup(tree: Messages, key: string): string | Messages | undefined {
  return key.split('.').reduce<string | Messages | undefined>((node, part) => (node && typeof node === 'object' ? node[part] : undefined), tree)
}

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path)
    return /\.(vue|ts)$/.test(name) ? [path] : []
  })
}
const UI = [...sources('components'), ...sources('pages'), ...sources('composables'), 'app.vue']
const text = UI.map(f => readFileSync(join(ROOT, f), 'utf8')).join('\n')
const literalKeys = [...new Set([...text.matchAll(/\$?\bt\(\s*'([\w.-]+)'/g)].map(m => m[1]!))]
const prefixes = [...new Set([...text.matchAll(/\$?\bt\(\s*`([\w.-]+)\.\$\{/g)].map(m => m[1]!))]

describe('the UI\'s messages', () => {
  it('finds the keys it checks', () => {
    expect(literalKeys.length).toBeGreaterThan(100)
    expect(literalKeys).toContain('preview.button')
    expect(prefixes).toEqual(expect.arrayContaining(['trigger', 'action', 'status']))
  })

  it('has the same keys in English and in Chinese', () => {
    expect(leaves(messages['zh-CN']!).sort()).toEqual(leaves(messages.en!).sort())
  })

  it.each(LOCALES)('has every key a t() call names, in %s', (locale) => {
    expect(literalKeys.filter(k => typeof lookup(messages[locale]!, k) !== 'string')).toEqual([])
  })

  it.each(LOCALES)('has a group for every key built from a prefix, in %s', (locale) => {
    expect(prefixes.filter(p => typeof lookup(messages[locale]!, p) !== 'object')).toEqual([])
  })
})
