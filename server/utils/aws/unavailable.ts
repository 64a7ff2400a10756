// Why an AWS service the app depends on (DynamoDB, EventBridge Scheduler) cannot be used right now, in words a person
// can act on. The SDK's own errors say "ResourceNotFoundException" or "connect ECONNREFUSED" without naming the table
// or the service, so each client is labelled (a middleware that records the service and table on a failure), and
// `unavailableOf` reads the label. The routes answer these 503 (server/utils/http/handler.ts).
import { ServiceUnavailable } from '../errors'

/** The services the app's own clients are labelled with. */
export type LabelledService = 'DynamoDB' | 'EventBridge Scheduler'

const LABEL = Symbol.for('ouroboros.failedCall')

interface FailedCall {
  service: LabelledService
  operation?: string
  table?: string
}

interface MiddlewareStackLike {
  add: (middleware: never, options: { step: 'initialize', name: string, override: boolean }) => void
}

function label(error: unknown, service: LabelledService, operation: string | undefined, input: unknown): void {
  if (!error || typeof error !== 'object') return
  const table = (input as { TableName?: unknown } | undefined)?.TableName
  const call: FailedCall = { service, operation, ...(typeof table === 'string' ? { table } : {}) }
  Object.defineProperty(error, LABEL, { value: call, configurable: true })
}

type Sendable = { send: (command: { commandName?: string, input?: unknown }, ...rest: unknown[]) => Promise<unknown> }

/**
 * Records, on any error a call of `client` throws, which service (and for DynamoDB which table) it concerned. On the
 * SDK's middleware stack, which DynamoDB's document client shares; the Lambda build's lazy clients
 * (modules/lambda/runtime/lazy-sdk.ts) have none until their first call, so there `send` is wrapped instead.
 */
export function labelFailures(client: { middlewareStack?: MiddlewareStackLike } | Sendable, service: LabelledService): void {
  const stack = (client as { middlewareStack?: MiddlewareStackLike }).middlewareStack
  if (!stack) {
    const sendable = client as Sendable
    const send = sendable.send.bind(sendable)
    sendable.send = (command, ...rest) => send(command, ...rest).catch((error: unknown) => {
      label(error, service, command?.commandName, command?.input)
      throw error
    })
    return
  }
  const middleware = (next: (args: { input: unknown }) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: { input: unknown }) => {
      try {
        return await next(args)
      }
      catch (error) {
        label(error, service, context.commandName, args.input)
        throw error
      }
    }
  stack.add(middleware as never, { step: 'initialize', name: 'ouroborosFailureLabel', override: true })
}

// Node's and the SDK's names for a connection that could not be made or was cut.
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
  'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'NetworkingError',
])
// The app's own identity is refused: a deployment problem the caller cannot fix.
const CREDENTIAL_CODES = new Set([
  'CredentialsProviderError', 'UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException',
  'ExpiredToken', 'InvalidClientTokenId', 'AccessDeniedException', 'AccessDenied',
])

// The service is overloaded or limits the app: transient, so "try again" is the advice.
const THROTTLE_CODES = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'LimitExceededException'])

function labelOf(error: unknown, depth = 0): { call: FailedCall, error: Error } | undefined {
  if (!error || typeof error !== 'object' || depth > 4) return undefined
  const call = (error as { [LABEL]?: FailedCall })[LABEL]
  if (call) return { call, error: error as Error }
  return labelOf((error as { cause?: unknown }).cause, depth + 1)
}

function endpointHint(service: LabelledService): string {
  const variable = service === 'DynamoDB' ? 'AWS_ENDPOINT_URL_DYNAMODB' : 'AWS_ENDPOINT_URL_SCHEDULER'
  return `check ${variable} (or AWS_ENDPOINT_URL), AWS_REGION and the network`
}

/**
 * A ServiceUnavailable that says what failed and what to do, when `error` (or its cause) is a labelled call that
 * failed for a reason of the deployment, not of the request; undefined otherwise (a condition that failed, a
 * validation error, a schedule that does not exist ...), which the caller handles as before.
 */
export function unavailableOf(error: unknown): ServiceUnavailable | undefined {
  if (error instanceof ServiceUnavailable) return error
  const labelled = labelOf(error)
  if (!labelled) return undefined
  const { call, error: e } = labelled
  const code = (e as { code?: string }).code ?? (e as { Code?: string }).Code ?? e.name
  const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
  const what = `${call.service}${call.operation ? ` (${call.operation.replace(/Command$/, '')})` : ''}`
  if (call.service === 'DynamoDB' && code === 'ResourceNotFoundException' && call.table) {
    return new ServiceUnavailable(`table ${call.table} does not exist: deploy infra/hub.yaml, or set NUXT_TABLE_PREFIX to the prefix of the deployed tables`, call.service, e)
  }
  if (NETWORK_CODES.has(code) || NETWORK_CODES.has(e.name)) {
    return new ServiceUnavailable(`${call.service} cannot be reached (${e.message || code}): ${endpointHint(call.service)}`, call.service, e)
  }
  // Scheduler that answered "access denied" stays the 502 of a refused schedule change (ScheduleBackendError); only
  // having no credentials at all makes it unusable.
  const refusal = CREDENTIAL_CODES.has(code) || CREDENTIAL_CODES.has(e.name)
  if (refusal && (call.service === 'DynamoDB' || e.name === 'CredentialsProviderError')) {
    return new ServiceUnavailable(`${what} refused the app's AWS credentials (${code}): give the app credentials allowed to use it (in AWS: the stack's Lambda role)`, call.service, e)
  }
  if (THROTTLE_CODES.has(code) || (status !== undefined && status >= 500)) {
    return new ServiceUnavailable(`${what} failed (${code}${status ? `, HTTP ${status}` : ''}): try again in a moment`, call.service, e)
  }
  return undefined
}
