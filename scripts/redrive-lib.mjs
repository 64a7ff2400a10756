// The pure part of `npm run redrive`: what a message in the dead-letter queue asks to run, why it landed there, and
// the AWS CLI commands that send it back. No I/O here (test/unit/redrive.test.ts); scripts/redrive.mjs runs them.
//
// Two kinds of message land in the queue (infra/hub.yaml, DeadLetterQueue):
// - Scheduler could not invoke the function: the body is the schedule's Input itself, and the message attributes say
//   why (ERROR_CODE, ERROR_MESSAGE);
// - Lambda ran it and it failed on every retry, or it waited too long: the body is an on-failure destination record,
//   `{ requestContext: { condition }, requestPayload, responsePayload }`, whose requestPayload is the Input.
// Sending the Input back is safe: it carries Scheduler's execution id, so the run's claim and conditional log
// (server/utils/executor/once.ts) make it act at most once, however many times it arrives.

/** The payload to send back and why it failed, or `{ payload: null, why }` for a message this tool does not know. */
export function readMessage(message) {
  let body
  try {
    body = JSON.parse(message.Body ?? '')
  }
  catch {
    return { payload: null, why: 'the body is not JSON' }
  }
  const attribute = name => message.MessageAttributes?.[name]?.StringValue
  const isPayload = v => v && typeof v === 'object' && typeof v.kind === 'string' && v.kind.startsWith('ouroboros.')
  if (body && typeof body === 'object' && 'requestPayload' in body) {
    if (!isPayload(body.requestPayload)) return { payload: null, why: 'a Lambda failure record of an event that is not an Ouroboros payload' }
    const error = body.responsePayload?.errorMessage ?? body.responsePayload?.errorType
    const why = [body.requestContext?.condition, error].filter(Boolean).join(': ') || 'the function failed'
    return { payload: body.requestPayload, why: `Lambda: ${why}` }
  }
  if (isPayload(body)) {
    const why = [attribute('ERROR_CODE'), attribute('ERROR_MESSAGE')].filter(Boolean).join(': ') || 'not delivered'
    return { payload: body, why: `Scheduler: ${why}` }
  }
  return { payload: null, why: 'not an Ouroboros payload' }
}

/** One line about a payload: which rule, which execution, when it was due. */
export function describePayload(payload) {
  if (payload.kind === 'ouroboros.reconcile') return 'the reconcile'
  const when = payload.scheduledTime ? `, due ${payload.scheduledTime}` : ''
  return `rule '${payload.rule}' (execution ${payload.executionId ?? 'without id'}${when})`
}

const common = s => [...(s.region ? ['--region', s.region] : []), ...(s.profile ? ['--profile', s.profile] : [])]

/** Receives up to 10 messages, hidden from other readers for 5 minutes while they are sent back. */
export function receiveArgs(s, queueUrl) {
  return ['aws', 'sqs', 'receive-message', '--queue-url', queueUrl, '--max-number-of-messages', '10', '--visibility-timeout', '300',
    '--wait-time-seconds', '1', '--message-attribute-names', 'All', '--attribute-names', 'All', '--output', 'json', ...common(s)]
}

/** Invokes the function asynchronously, as Scheduler does; the payload is read from a file (AWS CLI v1 and v2 alike). */
export function invokeArgs(s, functionName, payloadFile, outFile) {
  return ['aws', 'lambda', 'invoke', '--function-name', functionName, '--invocation-type', 'Event', '--payload', `fileb://${payloadFile}`, outFile, '--output', 'json', ...common(s)]
}

export function deleteArgs(s, queueUrl, receiptHandle) {
  return ['aws', 'sqs', 'delete-message', '--queue-url', queueUrl, '--receipt-handle', receiptHandle, ...common(s)]
}
