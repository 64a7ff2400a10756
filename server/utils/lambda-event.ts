// Tells the Lambda entry what an event is: an API Gateway request, a Scheduler payload, or neither.
// A Scheduler payload is a plain object at the top level of the event; an HTTP request can only carry
// one inside its body, so no public request can ever start a run this way.

export type LambdaEventKind
  = | { type: 'http' }
    | { type: 'execute', payload: { rule: string, executionId?: string, scheduledTime?: string, trigger: 'schedule' } }
    | { type: 'revert', payload: { revert: string, at: string, executionId: string } }
    | { type: 'follow-up', payload: { eventId: string } }
    | { type: 'reconcile' }
    | { type: 'resume' }
    | { type: 'chunk', payload: { eventId: string, chunk: number } }
    | { type: 'notify', payload: { eventId: string } }
    | { type: 'unknown', reason: string }

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Classifies a Lambda event by its shape. */
export function classifyLambdaEvent(event: unknown): LambdaEventKind {
  if (!isObject(event)) return { type: 'unknown', reason: `not an object (${typeof event})` }
  const isHttp = isObject(event.requestContext) && ('rawPath' in event || 'httpMethod' in event)
  if (isHttp) return { type: 'http' }
  if (event.kind === 'ouroboros.execute') {
    if (typeof event.rule !== 'string') return { type: 'unknown', reason: 'ouroboros.execute without a rule name' }
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined)
    return {
      type: 'execute',
      payload: { rule: event.rule, executionId: text(event.executionId), scheduledTime: text(event.scheduledTime), trigger: 'schedule' },
    }
  }
  if (event.kind === 'ouroboros.revert') {
    const { revert, at, executionId } = event
    if (typeof revert !== 'string' || typeof at !== 'string' || typeof executionId !== 'string' || !revert || !executionId || Number.isNaN(Date.parse(at))) {
      return { type: 'unknown', reason: 'ouroboros.revert without its revert, time and execution id' }
    }
    return { type: 'revert', payload: { revert, at, executionId } }
  }
  if (event.kind === 'ouroboros.follow-up') {
    if (typeof event.eventId !== 'string' || !event.eventId) return { type: 'unknown', reason: 'ouroboros.follow-up without its run\'s event id' }
    return { type: 'follow-up', payload: { eventId: event.eventId } }
  }
  if (event.kind === 'ouroboros.reconcile') return { type: 'reconcile' }
  if (event.kind === 'ouroboros.resume') return { type: 'resume' }
  if (event.kind === 'ouroboros.chunk') {
    const { eventId, chunk } = event
    if (typeof eventId !== 'string' || !eventId || !Number.isInteger(chunk) || (chunk as number) < 0) return { type: 'unknown', reason: 'ouroboros.chunk without its run\'s event id and chunk number' }
    return { type: 'chunk', payload: { eventId, chunk: chunk as number } }
  }
  if (event.kind === 'ouroboros.notify') {
    if (typeof event.eventId !== 'string' || !event.eventId) return { type: 'unknown', reason: 'ouroboros.notify without an event id' }
    return { type: 'notify', payload: { eventId: event.eventId } }
  }
  return { type: 'unknown', reason: `keys ${Object.keys(event).slice(0, 8).join(', ') || '(none)'}` }
}
