// Lambda events as AWS sends them: a Function URL (API Gateway payload 2.0) request, and the Scheduler payloads.
// Used by test/integration/lambda.test.ts and bench/lambda.ts.

export interface HttpEventOptions {
  query?: Record<string, string>
  headers?: Record<string, string>
  body?: string
}

/** A Function URL request in the API Gateway v2 payload format, as the function receives it. */
export function httpEvent(method: string, path: string, options: HttpEventOptions = {}) {
  const query = options.query ?? {}
  const rawQueryString = new URLSearchParams(query).toString()
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString,
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    headers: {
      'host': 'abcdefghij.lambda-url.us-east-1.on.aws',
      'user-agent': 'ouroboros-test',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'https',
      ...options.headers,
    },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghij',
      domainName: 'abcdefghij.lambda-url.us-east-1.on.aws',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'ouroboros-test' },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: false,
  }
}

/** What EventBridge Scheduler sends for a rule, with its placeholders filled in. */
export function executeEvent(rule: string, executionId: string, scheduledTime = new Date().toISOString()) {
  return { kind: 'ouroboros.execute', rule, executionId, scheduledTime }
}

/** What the daily reconcile schedule of infra/hub.yaml sends. */
export const RECONCILE_EVENT = { kind: 'ouroboros.reconcile' }

/** The answer of the function to an HTTP event. */
export interface HttpAnswer {
  statusCode: number
  headers: Record<string, string>
  body: string
  isBase64Encoded: boolean
  cookies?: string[]
}
