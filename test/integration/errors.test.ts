// Errors read well: a body that is not JSON answers what is wrong and where, and no answer of the production build
// carries a stack trace or a server path. Against the built server with its embedded store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const KEY = 'test-admin-key-errors-0123456789'
let server: RunningServer

beforeAll(async () => {
  server = await startServer({ NUXT_ADMIN_API_KEY: KEY })
})
afterAll(async () => server && stopAndClean(server))

async function send(method: string, path: string, body: string) {
  const res = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: body || undefined })
  return { status: res.status, text: await res.text() }
}

describe('a body that is not JSON', () => {
  it.each([
    ['POST', '/api/rules', '{"name": "web-stop",'],
    ['PUT', '/api/rules/web-stop', '{name: web-stop}'],
    ['PATCH', '/api/rules/web-stop', '{"enabled": tru}'],
    ['POST', '/api/keys', '{"name": "ops" "scope": "admin"}'],
  ])('%s %s answers 400 saying the body is not JSON, where, and what to send', async (method, path, body) => {
    const answer = await send(method, path, body)
    expect(answer.status).toBe(400)
    const json = JSON.parse(answer.text)
    expect(json.statusMessage).toMatch(/^the request body is not valid JSON \(.*(position|Unexpected|Expected).*\): send one JSON object, with the header Content-Type: application\/json$/)
    expect(json.data).toEqual({ error: 'InvalidJson' })
  })
})

describe('answers of the production build', () => {
  it.each([
    ['POST', '/api/rules', '{"name": '],
    ['POST', '/api/rules', '{"name": "x"}'],
    ['GET', '/api/rules/no-such-rule', ''],
    ['GET', '/api/logs/no-such-run', ''],
    ['GET', '/api/no-such-route', ''],
    ['DELETE', '/api/keys/nosuchkey', ''],
  ])('%s %s carries no stack trace and no server path', async (method, path, body) => {
    const answer = await send(method, path, body)
    expect(answer.status).toBeGreaterThanOrEqual(400)
    expect(answer.text).not.toMatch(/"stack"|\bat .+:\d+:\d+|node_modules|\.output\/server/)
    expect(answer.text).not.toContain(process.cwd())
  })
})
