// The OpenAPI 3.1 document of the whole API (GET /api/openapi.json), built from the entries in resources/. Loaded
// only by that route, on its first request (a dynamic import): no cold start parses it or constructs its schemas.
import { version } from '../../package.json'
import { RESOURCES } from './resources'
import { sharedComponents } from './operation'

const TAGS: [prefix: string, tag: string][] = [
  ['/api/rules', 'rules'], ['/api/preview', 'rules'], ['/api/calendars', 'calendars'], ['/api/holidays', 'calendars'],
  ['/api/schedule', 'schedule'], ['/api/overrides', 'overrides'], ['/api/logs', 'logs'], ['/api/keys', 'keys'],
  ['/api/auth', 'keys'],
]

function tagOf(path: string): string {
  return TAGS.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`))?.[1] ?? 'admin'
}

/** The document, with each operation tagged by its resource. */
export function buildOpenApiDocument() {
  const paths: Record<string, Record<string, object>> = {}
  for (const resource of RESOURCES) {
    for (const [path, methods] of Object.entries(resource as Record<string, Record<string, object>>)) {
      paths[path] = Object.fromEntries(Object.entries(methods).map(([method, op]) => [method, { tags: [tagOf(path)], ...op }]))
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ouroboros',
      version,
      description: 'Stop and start fleets of EC2 instances on schedules, across many AWS accounts. Reads are public unless `NUXT_PUBLIC_READ=false`; every change needs an admin key in `x-api-key`. Errors are JSON with one readable `statusMessage`; a 400 of validation also carries `data.issues: [{ path, code, params, message }]`.',
    },
    tags: ['rules', 'calendars', 'schedule', 'overrides', 'logs', 'keys', 'admin'].map(name => ({ name })),
    paths,
    components: sharedComponents(),
  }
}
