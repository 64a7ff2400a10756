// What `npm run redrive` reads from the dead-letter queue and sends back: the payload of each kind of message (the
// shapes of AWS's documentation: a Scheduler dead letter is the target's Input with ERROR_* attributes; a Lambda
// on-failure destination record wraps it in requestPayload), and the exact CLI commands. Sending them needs AWS:
// moto's Lambda cannot run a function without Docker, so the run itself is shown acting once in lambda.test.ts.
import { describe, expect, it } from 'vitest'
import { deleteArgs, describePayload, invokeArgs, readMessage, receiveArgs } from '../../scripts/redrive-lib.mjs'

const payload = { kind: 'ouroboros.execute', rule: 'nightly-stop', executionId: 'exec-1', scheduledTime: '2026-01-05T19:00:00Z' }

describe('readMessage', () => {
  it('reads a run Scheduler could not deliver, with its error code', () => {
    const message = {
      Body: JSON.stringify(payload),
      MessageAttributes: { ERROR_CODE: { StringValue: 'AWS.Scheduler.InternalServerError' }, ERROR_MESSAGE: { StringValue: 'Unexpected error' } },
    }
    expect(readMessage(message)).toEqual({ payload, why: 'Scheduler: AWS.Scheduler.InternalServerError: Unexpected error' })
  })

  it('reads a run Lambda failed on every retry, from its destination record', () => {
    const record = {
      version: '1.0',
      timestamp: '2026-01-05T19:04:00.000Z',
      requestContext: { requestId: 'r-1', functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:ouroboros:$LATEST', condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: payload,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'Task timed out after 300.00 seconds' },
    }
    expect(readMessage({ Body: JSON.stringify(record) })).toEqual({ payload, why: 'Lambda: RetriesExhausted: Task timed out after 300.00 seconds' })
  })

  it('reads the reconcile, and a run that waited too long', () => {
    const record = { requestContext: { condition: 'EventAgeExceeded' }, requestPayload: { kind: 'ouroboros.reconcile' } }
    expect(readMessage({ Body: JSON.stringify(record) })).toEqual({ payload: { kind: 'ouroboros.reconcile' }, why: 'Lambda: EventAgeExceeded' })
  })

  it.each([
    ['not JSON', '{', 'the body is not JSON'],
    ['someone else\'s message', '{"hello":"world"}', 'not an Ouroboros payload'],
    ['a failure record of another event', '{"requestPayload":{"rawPath":"/api/rules"}}', 'a Lambda failure record of an event that is not an Ouroboros payload'],
  ])('keeps %s in the queue, saying why', (_what, Body, why) => {
    expect(readMessage({ Body })).toEqual({ payload: null, why })
  })
})

describe('redrive commands', () => {
  const s = { region: 'eu-west-1', profile: 'ops' }

  it('describes each run with its rule, execution id and when it was due', () => {
    expect(describePayload(payload)).toBe('rule \'nightly-stop\' (execution exec-1, due 2026-01-05T19:00:00Z)')
    expect(describePayload({ kind: 'ouroboros.reconcile' })).toBe('the reconcile')
  })

  it('invokes the function asynchronously, as Scheduler does, with the payload from a file', () => {
    expect(invokeArgs(s, 'ouroboros', '/tmp/p.json', '/tmp/o.json')).toEqual([
      'aws', 'lambda', 'invoke', '--function-name', 'ouroboros', '--invocation-type', 'Event', '--payload', 'fileb:///tmp/p.json', '/tmp/o.json',
      '--output', 'json', '--region', 'eu-west-1', '--profile', 'ops',
    ])
  })

  it('hides a message while it is sent back, and deletes it only after', () => {
    const receive = receiveArgs(s, 'https://sqs/q')
    expect(receive.slice(0, 5)).toEqual(['aws', 'sqs', 'receive-message', '--queue-url', 'https://sqs/q'])
    expect(receive[receive.indexOf('--visibility-timeout') + 1]).toBe('300')
    expect(deleteArgs(s, 'https://sqs/q', 'rh')).toEqual(['aws', 'sqs', 'delete-message', '--queue-url', 'https://sqs/q', '--receipt-handle', 'rh', '--region', 'eu-west-1', '--profile', 'ops'])
  })
})
