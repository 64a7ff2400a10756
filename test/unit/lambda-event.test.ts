import { describe, expect, it } from 'vitest'
import { classifyLambdaEvent } from '../../server/utils/lambda-event'

const schedulerInput = { kind: 'ouroboros.execute', rule: 'web-stop', executionId: 'b1c2', scheduledTime: '2026-11-25T19:00:00Z' }

describe('classifyLambdaEvent', () => {
  it('recognises the Scheduler payload at the top level of the event', () => {
    expect(classifyLambdaEvent(schedulerInput)).toEqual({
      type: 'execute',
      payload: { rule: 'web-stop', executionId: 'b1c2', scheduledTime: '2026-11-25T19:00:00Z', trigger: 'schedule' },
    })
  })

  it('recognises a revert at the end of an override, with its revert, time and execution id', () => {
    const event = { kind: 'ouroboros.revert', revert: 'revert#123456789012#eu-west-1#i-0abc', at: '2026-12-24T18:00:00.000Z', executionId: 'e-1' }
    expect(classifyLambdaEvent(event)).toEqual({ type: 'revert', payload: { revert: event.revert, at: event.at, executionId: 'e-1' } })
    expect(classifyLambdaEvent({ ...event, at: 'soon' })).toMatchObject({ type: 'unknown' })
    expect(classifyLambdaEvent({ kind: 'ouroboros.revert', revert: event.revert, at: event.at })).toMatchObject({ type: 'unknown' })
  })

  it('recognises the daily reconcile', () => {
    expect(classifyLambdaEvent({ kind: 'ouroboros.reconcile' })).toEqual({ type: 'reconcile' })
  })

  it('recognises the sweep of interrupted runs', () => {
    expect(classifyLambdaEvent({ kind: 'ouroboros.resume' })).toEqual({ type: 'resume' })
  })

  it('recognises a chunk of a fanned-out run, with its event id and chunk number only', () => {
    expect(classifyLambdaEvent({ kind: 'ouroboros.chunk', eventId: 'e-1', chunk: 3 })).toEqual({ type: 'chunk', payload: { eventId: 'e-1', chunk: 3 } })
    for (const bad of [{ eventId: 'e-1' }, { eventId: '', chunk: 0 }, { eventId: 'e-1', chunk: -1 }, { eventId: 'e-1', chunk: 1.5 }, { eventId: 'e-1', chunk: '2' }]) {
      expect(classifyLambdaEvent({ kind: 'ouroboros.chunk', ...bad })).toMatchObject({ type: 'unknown' })
    }
  })

  it('recognises the retry of a run\'s pending notifications, with its event id only', () => {
    expect(classifyLambdaEvent({ kind: 'ouroboros.notify', eventId: 'e-1' })).toEqual({ type: 'notify', payload: { eventId: 'e-1' } })
    expect(classifyLambdaEvent({ kind: 'ouroboros.notify' })).toMatchObject({ type: 'unknown' })
    expect(classifyLambdaEvent({ kind: 'ouroboros.notify', eventId: '' })).toMatchObject({ type: 'unknown' })
  })

  it.each([
    ['API Gateway v2', { version: '2.0', rawPath: '/api/rules', requestContext: { http: { method: 'GET' } }, headers: {} }],
    ['API Gateway v1', { httpMethod: 'GET', path: '/api/rules', requestContext: {}, headers: {} }],
  ])('treats %s events as HTTP', (_what, event) => {
    expect(classifyLambdaEvent(event)).toEqual({ type: 'http' })
  })

  it('never runs a rule for an HTTP request that carries the payload, in its body or at its top level', () => {
    const inBody = { version: '2.0', rawPath: '/api/x', requestContext: { http: { method: 'POST' } }, headers: {}, body: JSON.stringify(schedulerInput) }
    expect(classifyLambdaEvent(inBody)).toEqual({ type: 'http' })
    expect(classifyLambdaEvent({ ...inBody, ...schedulerInput })).toEqual({ type: 'http' })
  })

  it.each([
    ['null', null],
    ['a string', 'ouroboros.execute'],
    ['an array', [schedulerInput]],
    ['a payload without a rule', { kind: 'ouroboros.execute' }],
    ['another kind', { kind: 'something.else', rule: 'x' }],
  ])('does not act on %s', (_what, event) => {
    expect(classifyLambdaEvent(event).type).toBe('unknown')
  })

  it('drops unreplaced or empty placeholders', () => {
    const kind = classifyLambdaEvent({ kind: 'ouroboros.execute', rule: 'r', executionId: '', scheduledTime: 7 })
    expect(kind).toEqual({ type: 'execute', payload: { rule: 'r', executionId: undefined, scheduledTime: undefined, trigger: 'schedule' } })
  })
})
