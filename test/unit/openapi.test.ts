// The OpenAPI document describes every route in server/api, and the README's API table is its summary: the same
// routes, method and path, in both.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildOpenApiDocument } from '../../server/openapi/document'
import { apiRoutes } from '../helpers/api-routes'

const METHODS = ['get', 'post', 'put', 'patch', 'delete']
interface Operation {
  security: unknown[]
  parameters: { name: string }[]
  requestBody?: { content: Record<string, { schema: unknown }> }
  responses: Record<string, unknown>
}
interface Document {
  openapi: string
  paths: Record<string, Record<string, Operation>>
  components: { securitySchemes: Record<string, unknown>, responses: Record<string, { headers?: object }>, schemas: Record<string, unknown> }
}
const doc = buildOpenApiDocument() as unknown as Document

/** The document's operations as `METHOD /api/path/:param`. */
function documented(): string[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter(m => METHODS.includes(m))
    .map(m => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)).sort()
}

/** The routes the README's "HTTP API" table lists: `GET /api/rules?cursor&limit&q`, `DELETE /api/rules/:name[?version=n]`, ... */
function readmeRoutes(): string[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const section = readme.split('## HTTP API')[1]!.split('\n## ')[0]!
  const rows = section.split('\n').filter(line => line.startsWith('| `'))
  const firstCells = rows.map(row => row.split(' | ')[0]!)
  return firstCells.flatMap(cell => [...cell.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/api[^`?[\s]*)/g)].map(m => `${m[1]} ${m[2]}`)).sort()
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with the x-api-key security scheme', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' })
  })

  it('describes every route file in server/api, and nothing else', () => {
    expect(documented()).toEqual(apiRoutes().map(([method, path]) => `${method} ${path}`).sort())
  })

  it('agrees with the README\'s API table', () => {
    expect(readmeRoutes()).toEqual(documented())
  })

  it('answers every change that needs an admin key with 401, 403 and a 429 that carries Retry-After', () => {
    const post = doc.paths['/api/rules']!.post!
    expect(post.security).toEqual([{ apiKey: [] }])
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409', '429', '502', '503']))
    expect(doc.components.responses.E429!.headers).toHaveProperty('Retry-After')
  })

  it('gives a 400\'s field issues with their code', () => {
    const error = doc.components.schemas.Error as { properties: { data: { properties: { issues: { items: { required: string[] } } } } } }
    expect(error.properties.data.properties.issues.items.required).toEqual(['path', 'code', 'message'])
  })

  it('takes a rule\'s name from the path on PUT, not from the body', () => {
    const body = doc.paths['/api/rules/{name}']!.put!.requestBody!.content['application/json']!.schema as { required: string[], properties: object }
    expect(body.properties).toHaveProperty('name')
    expect(body.required).not.toContain('name')
    expect(body.required).toContain('version')
  })

  it('describes the query of a list with its bounds and default', () => {
    const limit = doc.paths['/api/rules']!.get!.parameters.find(p => p.name === 'limit')
    expect(limit).toMatchObject({ in: 'query', required: false, schema: { minimum: 1, maximum: 100, default: 50 } })
  })

  it('gives each shape a calendar entry may take', () => {
    const body = doc.paths['/api/calendars']!.post!.requestBody!.content['application/json']!.schema as { properties: { entries: { items: { oneOf: { required: string[] }[] } } } }
    expect(body.properties.entries.items.oneOf.map(shape => shape.required[0])).toEqual(['date', 'from', 'annual', 'holidays', 'ics', 'ics'])
  })
})
