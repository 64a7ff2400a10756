// One OpenAPI operation from the zod schemas its route validates with (zod 4's own z.toJSONSchema), and the answers
// every route shares: the errors, the rate-limit headers, the x-api-key security scheme.
import { z } from 'zod'
import { ErrorAnswer } from '#shared/answers/error'

type JsonSchema = Record<string, unknown>

/** A status code the route glue answers, with what it means. */
const ERRORS = {
  400: 'The input is wrong: `statusMessage` says what, and `data.issues` lists each field\'s issue with its code.',
  401: 'No valid API key in `x-api-key` where one is needed, or an invalid one presented.',
  403: 'The key\'s scope is `read`: this needs an admin key.',
  404: 'Not found.',
  409: 'A conflict: the name exists, the version you sent is not the stored one, or the item is in use.',
  // Node's HTTP server answers it before the app: a URL and headers of more than 16 KB (e.g. a long cursor of
  // multi-byte characters, each sent as up to 12 bytes), with no body.
  431: 'The request\'s URL and headers exceed the server\'s 16 KB: send a shorter query.',
  429: 'Too many requests: the key\'s rate limit or quota, or too many failed API-key attempts from this address. `Retry-After` says when to try again.',
  502: 'EventBridge Scheduler refused the change: `statusMessage` says what failed and what happened to the rule.',
  503: 'The store, one of its tables or EventBridge Scheduler cannot be used: `statusMessage` names it and what to do, `data.service` names the service.',
} as const

export type ErrorStatus = keyof typeof ERRORS

/** Who may call an operation: anyone (a key presented is still checked), any valid key, or an admin key. */
export type Access = 'public' | 'key' | 'admin'

export interface OperationSpec {
  summary: string
  description?: string
  access: Access
  /** The route's path parameters, e.g. RuleParamsSchema. */
  params?: z.ZodType
  /** The route's query, e.g. PageQuerySchema. */
  query?: z.ZodType
  /** The request body; `bodyRequired: false` for a route that takes none (POST /api/rules/:name/run). */
  body?: z.ZodType
  bodyRequired?: boolean
  /** Changes the JSON Schema of the body the route takes (a PUT's name comes from the path). */
  bodyShape?: (schema: JsonSchema) => JsonSchema
  /** The successful answers by status, each with its schema and a description. */
  answers: Record<number, { schema: z.ZodType, description: string }>
  /** The error statuses this route answers besides 401, 429 and 503 (and 403 for an admin route). */
  errors?: ErrorStatus[]
  /** Descriptions of single parameters, by name. */
  describe?: Record<string, string>
}

/** The JSON Schema of `schema`: what a client sends (`input`) or what the server answers (`output`). */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // unrepresentable: 'any': a refinement (a cron expression, a time zone) is checked by the route and answered as a
  // 400 with its issue; the document gives the type and leaves the check to the route.
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema
  return rest
}

function parameters(where: 'path' | 'query', schema: z.ZodType | undefined, describe: Record<string, string> = {}) {
  if (!schema) return []
  const object = jsonSchema(schema, 'input')
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>
  const required = new Set((object.required ?? []) as string[])
  return Object.entries(properties).map(([name, property]) => {
    // A list in the query is sent as `a,b` (or repeated): the route splits it.
    const { description, ...rest } = property
    const listed = rest.type === 'array' || Object.keys(rest).length === 0
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(describe[name] ?? description ? { description: describe[name] ?? description } : {}),
      schema: listed && where === 'query' ? { type: 'string' } : rest,
    }
  })
}

const RATE_HEADERS = {
  'X-RateLimit-Limit': { $ref: '#/components/headers/RateLimitLimit' },
  'X-RateLimit-Remaining': { $ref: '#/components/headers/RateLimitRemaining' },
  'X-RateLimit-Reset': { $ref: '#/components/headers/RateLimitReset' },
}

const SECURITY: Record<Access, unknown[]> = {
  // An empty requirement: no key needed; a key presented is still checked (401) and counted (429).
  public: [{}, { apiKey: [] }],
  key: [{ apiKey: [] }],
  admin: [{ apiKey: [] }],
}

/** The OpenAPI operation object of one route. */
export function operation(spec: OperationSpec) {
  const errors = new Set<ErrorStatus>([...(spec.errors ?? []), 401, 429, 431, 503])
  if (spec.access === 'admin') errors.add(403)
  if (spec.params || spec.query || spec.body) errors.add(400)
  const responses: Record<string, unknown> = {}
  for (const [status, answer] of Object.entries(spec.answers)) {
    responses[status] = { description: answer.description, headers: RATE_HEADERS, content: { 'application/json': { schema: jsonSchema(answer.schema, 'output') } } }
  }
  for (const status of [...errors].sort()) responses[status] ??= { $ref: `#/components/responses/E${status}` }
  const body = spec.body && jsonSchema(spec.body, 'input')
  return {
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    security: SECURITY[spec.access],
    parameters: [...parameters('path', spec.params, spec.describe), ...parameters('query', spec.query, spec.describe)],
    ...(body ? { requestBody: { required: spec.bodyRequired ?? true, content: { 'application/json': { schema: spec.bodyShape ? spec.bodyShape(body) : body } } } } : {}),
    responses,
  }
}

/** The components every operation refers to: the security scheme, the error answers, the rate-limit headers. */
export function sharedComponents() {
  const error = jsonSchema(ErrorAnswer, 'output')
  const integer = (description: string) => ({ description, schema: { type: 'integer' } })
  return {
    securitySchemes: {
      apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'An API key (`ouro_<id>_<secret>`, from the Keys page, `POST /api/keys` or `npm run apikey`), or the bootstrap admin key.' },
    },
    headers: {
      RateLimitLimit: integer('the key\'s burst: requests it may make at once (answers to a stored key only)'),
      RateLimitRemaining: integer('requests left in the burst now'),
      RateLimitReset: integer('seconds until the burst is full again'),
      RetryAfter: integer('seconds to wait before trying again'),
    },
    schemas: { Error: error },
    responses: Object.fromEntries(Object.entries(ERRORS).map(([status, description]) => [`E${status}`, {
      description,
      ...(status === '429' ? { headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' }, ...RATE_HEADERS } } : {}),
      ...(status === '431' ? {} : { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }),
    }])),
  }
}

/** Leaves `name` out of what a body requires (a PUT takes the name from its path), in an object or an allOf of them. */
export function notRequired(name: string) {
  const drop = (schema: JsonSchema): JsonSchema => {
    const out: JsonSchema = { ...schema }
    if (Array.isArray(out.required)) out.required = (out.required as string[]).filter(n => n !== name)
    if (Array.isArray(out.allOf)) out.allOf = (out.allOf as JsonSchema[]).map(drop)
    return out
  }
  return drop
}
