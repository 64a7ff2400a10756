// Security headers for every answer, and the Content-Security-Policy of a rendered page.
// A page's CSP allows exactly the inline scripts that page carries, by their SHA-256 (Nuxt's config and payload
// scripts, the colour-scheme script): no 'unsafe-inline' and no 'unsafe-eval' for scripts. Element Plus sets
// inline styles at runtime, so styles keep 'unsafe-inline'.
import { createHash } from 'node:crypto'

/** The CSP of every answer that is not a page: nothing may load, nothing may frame it. */
export const API_CSP = 'default-src \'none\'; frame-ancestors \'none\'; base-uri \'none\'; form-action \'none\''

/** Sent with every answer: pages, assets, API answers and errors. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': API_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
}

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi

/** The 'sha256-...' sources of every inline script in `html` (a script with src has no inline body to allow). */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>()
  for (const [, attributes, body] of html.matchAll(INLINE_SCRIPT)) {
    if (/\ssrc\s*=/i.test(` ${attributes}`) || !body) continue
    hashes.add(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`)
  }
  return [...hashes]
}

/**
 * The Content-Security-Policy of one rendered page. A streamed page (null: its HTML is not known when the headers
 * go out) cannot list its scripts' hashes, and falls back to 'unsafe-inline' for scripts.
 */
export function pageCsp(html: string | null): string {
  const scripts = html === null ? ['\'unsafe-inline\''] : inlineScriptHashes(html)
  return [
    'default-src \'self\'',
    ['script-src', '\'self\'', ...scripts].join(' '),
    'style-src \'self\' \'unsafe-inline\'',
    'img-src \'self\' data: blob:',
    'font-src \'self\' data:',
    'connect-src \'self\'',
    'object-src \'none\'',
    'base-uri \'self\'',
    'form-action \'self\'',
    'frame-ancestors \'none\'',
  ].join('; ')
}
