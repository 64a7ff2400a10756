// The Lambda entry (NITRO_PRESET=aws-lambda): one function for API Gateway and for EventBridge Scheduler.
// Nitro's own aws-lambda entry treats any event as HTTP (a Scheduler payload would become a GET of an
// empty path), and cannot be imported from here (ERR_PACKAGE_PATH_NOT_EXPORTED), so this carries both branches.
import '#nitro-internal-pollyfills'
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda'
import { runTask, useNitroApp } from 'nitropack/runtime'
import {
  normalizeCookieHeader,
  normalizeLambdaIncomingHeaders,
  normalizeLambdaOutgoingBody,
  normalizeLambdaOutgoingHeaders,
} from 'nitropack/runtime/internal'
import { withQuery } from 'ufo'
import { classifyLambdaEvent } from '../utils/lambda-event'

const nitroApp = useNitroApp()

type HttpEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2
type LocalCallHeaders = Parameters<typeof nitroApp.localCall>[0]['headers']

async function http(event: HttpEvent, context: Context) {
  const query = {
    ...event.queryStringParameters,
    ...('multiValueQueryStringParameters' in event ? event.multiValueQueryStringParameters : {}),
  }
  const path = 'rawPath' in event ? event.rawPath : event.path
  const method = 'httpMethod' in event ? event.httpMethod : event.requestContext?.http?.method ?? 'GET'
  if ('cookies' in event && event.cookies) event.headers.cookie = event.cookies.join(';')
  const r = await nitroApp.localCall({
    event,
    url: withQuery(path, query),
    context,
    // Nitro's own entry passes these as they are; its types are narrower than what localCall accepts.
    headers: normalizeLambdaIncomingHeaders(event.headers) as LocalCallHeaders,
    method,
    query,
    body: event.isBase64Encoded ? Buffer.from(event.body || '', 'base64').toString('utf8') : event.body,
  })
  const isApiGwV2 = 'cookies' in event || 'rawPath' in event
  const awsBody = await normalizeLambdaOutgoingBody(r.body, r.headers)
  const cookies = normalizeCookieHeader(r.headers['set-cookie'])
  return {
    ...(cookies.length > 0 && (isApiGwV2 ? { cookies } : { multiValueHeaders: { 'set-cookie': cookies } })),
    statusCode: r.status,
    headers: normalizeLambdaOutgoingHeaders(r.headers, true),
    body: awsBody.body,
    isBase64Encoded: awsBody.type === 'binary',
  }
}

export async function handler(event: unknown, context: Context) {
  const kind = classifyLambdaEvent(event)
  switch (kind.type) {
    case 'execute':
      return (await runTask('rules:execute', { payload: { ...kind.payload } })).result
    case 'revert':
      return (await runTask('overrides:revert', { payload: { ...kind.payload } })).result
    case 'follow-up':
      return (await runTask('logs:follow-up', { payload: { ...kind.payload } })).result
    case 'reconcile':
      return (await runTask('rules:reconcile', {})).result
    case 'resume':
      return (await runTask('logs:resume', {})).result
    case 'chunk':
      return (await runTask('rules:chunk', { payload: { ...kind.payload } })).result
    case 'notify':
      return (await runTask('notifications:retry', { payload: { ...kind.payload } })).result
    case 'http':
      return http(event as HttpEvent, context)
    default:
      // An event we do not know: say so in the function's log, act on nothing.
      console.error(`[ouroboros] ignored a Lambda event of unknown shape: ${kind.reason}`)
      return { ignored: true, reason: kind.reason }
  }
}
