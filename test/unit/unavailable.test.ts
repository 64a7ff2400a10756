// Which failures of DynamoDB and Scheduler are the deployment's (503, naming what failed), and which are not.
// The labels come from the SDK middleware labelFailures adds; here it is run on a client whose requests fail as the
// SDK's do, so no service is needed.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb'
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler'
import { describe, expect, it } from 'vitest'
import { labelFailures, unavailableOf } from '../../server/utils/aws/unavailable'
import { ScheduleBackendError, ServiceUnavailable } from '../../server/utils/errors'
import { toHttpError } from '../../server/utils/http/handler'

/** An SDK-shaped error: name, optional code, and the HTTP status in $metadata. */
function awsError(name: string, message: string, status?: number, code?: string) {
  return Object.assign(new Error(message), { name, ...(code ? { code } : {}), $metadata: status ? { httpStatusCode: status } : {} })
}

/** What `error` becomes when a labelled client's call fails with it. */
async function failedCall(error: Error, client: 'dynamodb' | 'scheduler' = 'dynamodb'): Promise<unknown> {
  const sdk = client === 'dynamodb'
    ? new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })
    : new SchedulerClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })
  labelFailures(sdk, client === 'dynamodb' ? 'DynamoDB' : 'EventBridge Scheduler')
  // Fail where the request would be sent: the label middleware (initialize step) wraps every later step.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the two clients' stacks have incompatible overloads
  ;(sdk.middlewareStack as any).add(() => async () => {
    throw error
  }, { step: 'finalizeRequest', name: 'failHere' })
  const command = client === 'dynamodb'
    ? new GetItemCommand({ TableName: 'ouroboros-keys', Key: { id: { S: 'x' } } })
    : new GetScheduleCommand({ Name: 'r', GroupName: 'g' })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- either client with its own command
  return (sdk as any).send(command).then(() => undefined, (e: unknown) => e)
}

describe('unavailableOf', () => {
  it('names a missing table and what to do', async () => {
    const e = await failedCall(awsError('ResourceNotFoundException', 'Requested resource not found', 400))
    expect(unavailableOf(e)?.message).toBe('table ouroboros-keys does not exist: deploy infra/hub.yaml, or set NUXT_TABLE_PREFIX to the prefix of the deployed tables')
  })

  it.each([
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })],
    ['ENOTFOUND', Object.assign(new Error('getaddrinfo ENOTFOUND dynamodb.nowhere'), { code: 'ENOTFOUND' })],
    ['a timeout', awsError('TimeoutError', 'Connection timed out after 1000 ms')],
  ])('names DynamoDB and the endpoint variable when it cannot be reached (%s)', async (_what, error) => {
    const e = await failedCall(error)
    expect(unavailableOf(e)?.message).toMatch(new RegExp(`^DynamoDB cannot be reached \\(${error.message}\\): check AWS_ENDPOINT_URL_DYNAMODB \\(or AWS_ENDPOINT_URL\\), AWS_REGION and the network$`))
  })

  it('names the service when the app\'s credentials are refused, or the service fails', async () => {
    expect(unavailableOf(await failedCall(awsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400)))?.message)
      .toBe('DynamoDB (GetItem) refused the app\'s AWS credentials (UnrecognizedClientException): give the app credentials allowed to use it (in AWS: the stack\'s Lambda role)')
    expect(unavailableOf(await failedCall(awsError('InternalServerError', 'boom', 500)))?.message).toBe('DynamoDB (GetItem) failed (InternalServerError, HTTP 500): try again in a moment')
    expect(unavailableOf(await failedCall(awsError('ThrottlingException', 'slow down', 400), 'scheduler'))?.message).toBe('EventBridge Scheduler (GetSchedule) failed (ThrottlingException, HTTP 400): try again in a moment')
  })

  it('leaves the request\'s own failures alone', async () => {
    // A condition that failed, a validation error, a schedule that does not exist: the routes handle these as before.
    expect(unavailableOf(await failedCall(awsError('ConditionalCheckFailedException', 'The conditional request failed', 400)))).toBeUndefined()
    expect(unavailableOf(await failedCall(awsError('ValidationException', 'bad key', 400)))).toBeUndefined()
    expect(unavailableOf(await failedCall(awsError('ResourceNotFoundException', 'Schedule r does not exist.', 404), 'scheduler'))).toBeUndefined()
    // An error of no labelled client (EC2 in a member account, the app's own code) is not the store's.
    expect(unavailableOf(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBeUndefined()
  })

  it('finds the failure behind a ScheduleBackendError', async () => {
    const cause = await failedCall(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'scheduler')
    const wrapped = new ScheduleBackendError('EventBridge Scheduler could not create the schedule \'r\': Error: connect ECONNREFUSED 127.0.0.1:9', cause)
    expect(unavailableOf(wrapped)?.service).toBe('EventBridge Scheduler')
  })
})

describe('toHttpError', () => {
  it('answers 503 with the message, and names the service in data', async () => {
    const e = await failedCall(awsError('ResourceNotFoundException', 'Requested resource not found', 400))
    const mapped = toHttpError(e) as { statusCode: number, statusMessage: string, data: unknown }
    expect(mapped.statusCode).toBe(503)
    expect(mapped.statusMessage).toMatch(/^table ouroboros-keys does not exist/)
    expect(mapped.data).toEqual({ error: 'ServiceUnavailable', service: 'DynamoDB' })
  })

  it('keeps a Scheduler failure a 502 when Scheduler answered, and makes it a 503 when it could not be reached', async () => {
    const refused = new ScheduleBackendError('EventBridge Scheduler could not create the schedule \'r\': ValidationException: bad', await failedCall(awsError('ValidationException', 'bad', 400), 'scheduler'))
    expect((toHttpError(refused) as { statusCode: number }).statusCode).toBe(502)
    const unreachable = new ScheduleBackendError('EventBridge Scheduler could not create the schedule \'r\'', await failedCall(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'scheduler'))
    const mapped = toHttpError(unreachable) as { statusCode: number, statusMessage: string }
    expect(mapped.statusCode).toBe(503)
    expect(mapped.statusMessage).toMatch(/^EventBridge Scheduler could not create the schedule 'r' \(EventBridge Scheduler cannot be reached/)
  })

  it('maps a ServiceUnavailable thrown as it is', () => {
    expect((toHttpError(new ServiceUnavailable('x is down', 'DynamoDB')) as { statusCode: number }).statusCode).toBe(503)
  })
})

describe('labelFailures on a client without a middleware stack', () => {
  it('labels what send throws, as the Lambda build\'s lazy clients need', async () => {
    // The shape of modules/lambda/runtime/lazy-sdk.ts: a client with send() and no middlewareStack until its first call.
    const lazy = { send: async (_command: unknown) => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })) }
    labelFailures(lazy, 'EventBridge Scheduler')
    const error = await lazy.send({ commandName: 'CreateScheduleCommand', input: { Name: 'r' } }).catch((e: unknown) => e)
    expect(unavailableOf(error)?.message).toMatch(/^EventBridge Scheduler cannot be reached \(connect ECONNREFUSED 127\.0\.0\.1:9\)/)
  })

  it('leaves Scheduler\'s "access denied" to the 502 of a refused schedule change', async () => {
    const denied = await failedCall(awsError('AccessDeniedException', 'User is not authorized to perform: scheduler:CreateSchedule', 403), 'scheduler')
    expect(unavailableOf(denied)).toBeUndefined()
    expect((toHttpError(new ScheduleBackendError('EventBridge Scheduler could not save the schedule', denied)) as { statusCode: number }).statusCode).toBe(502)
  })
})
