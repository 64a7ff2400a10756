import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLocalBackend } from '../../server/utils/schedules/local'
import type { LocalBackend, LocalFire } from '../../server/utils/schedules/local'
import type { DesiredSchedule } from '../../server/utils/schedules/spec'

function schedule(name: string, expression: string, timezone = 'UTC', state: DesiredSchedule['state'] = 'ENABLED'): DesiredSchedule {
  return { name, group: 'ouroboros', expression, timezone, state, targetArn: '', roleArn: '', input: '', retryAttempts: 3, maxEventAgeSeconds: 3600, dlqArn: '' }
}

let fired: LocalFire[]
let backend: LocalBackend

beforeEach(() => {
  vi.useFakeTimers()
  fired = []
  backend = createLocalBackend({ fire: (r) => {
    fired.push(r)
  } })
})
afterEach(async () => {
  await backend.close()
  vi.useRealTimers()
})

const firedAt = () => fired.map(f => f.scheduledTime)

describe('local scheduler', () => {
  it('fires a rule at its time with a fresh execution id and the schedule trigger', async () => {
    vi.setSystemTime(new Date('2026-11-25T10:00:00Z'))
    await backend.put(schedule('web', 'cron(1 10 * * ? *)'))
    expect(backend.nextFire('web')?.toISOString()).toBe('2026-11-25T10:01:00.000Z')
    await vi.advanceTimersByTimeAsync(59_000)
    expect(fired).toEqual([])
    await vi.advanceTimersByTimeAsync(1_000)
    expect(fired).toHaveLength(1)
    expect(fired[0]).toMatchObject({ rule: 'web', trigger: 'schedule', scheduledTime: '2026-11-25T10:01:00.000Z' })
    expect(fired[0]!.executionId).toMatch(/^[0-9a-f-]{36}$/)
    expect(backend.nextFire('web')?.toISOString()).toBe('2026-11-26T10:01:00.000Z')
  })

  it('fires an edited rule on its new schedule only, never twice', async () => {
    vi.setSystemTime(new Date('2026-11-25T10:00:00Z'))
    await backend.put(schedule('web', 'cron(5 10 * * ? *)'))
    await backend.put(schedule('web', 'cron(3 10 * * ? *)'))
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(firedAt()).toEqual(['2026-11-25T10:03:00.000Z'])
  })

  it('does not fire a disabled or a deleted rule', async () => {
    vi.setSystemTime(new Date('2026-11-25T10:00:00Z'))
    await backend.put(schedule('off', 'rate(1 minute)', 'UTC', 'DISABLED'))
    await backend.put(schedule('gone', 'rate(1 minute)'))
    await backend.remove('gone')
    await vi.advanceTimersByTimeAsync(5 * 60_000)
    expect(fired).toEqual([])
    expect(backend.nextFire('off')).toBeNull()
  })

  it('fires rate() from the time the schedule was saved', async () => {
    vi.setSystemTime(new Date('2026-11-25T10:00:20Z'))
    await backend.put(schedule('every', 'rate(5 minutes)'))
    await vi.advanceTimersByTimeAsync(16 * 60_000)
    expect(firedAt()).toEqual(['2026-11-25T10:05:20.000Z', '2026-11-25T10:10:20.000Z', '2026-11-25T10:15:20.000Z'])
  })

  it('fires a one-time at() rule once', async () => {
    vi.setSystemTime(new Date('2026-11-30T23:00:00Z'))
    await backend.put(schedule('once', 'at(2026-12-01T08:00:00)', 'Europe/Berlin'))
    await vi.advanceTimersByTimeAsync(48 * 3600_000)
    expect(firedAt()).toEqual(['2026-12-01T07:00:00.000Z'])
    expect(backend.nextFire('once')).toBeNull()
  })

  it('skips a local time that does not exist on the spring-forward day', async () => {
    vi.setSystemTime(new Date('2026-03-07T05:00:00Z'))
    await backend.put(schedule('dst', 'cron(30 2 * * ? *)', 'America/New_York'))
    await vi.advanceTimersByTimeAsync(3 * 86_400_000)
    // 02:30 EST on the 7th, none on the 8th (02:00-03:00 does not exist), 02:30 EDT on the 9th.
    expect(firedAt()).toEqual(['2026-03-07T07:30:00.000Z', '2026-03-09T06:30:00.000Z'])
  })

  it('fires a repeated local time once on the fall-back day', async () => {
    vi.setSystemTime(new Date('2026-10-31T12:00:00Z'))
    await backend.put(schedule('dst', 'cron(30 1 * * ? *)', 'America/New_York'))
    await vi.advanceTimersByTimeAsync(2 * 86_400_000)
    // 01:30 EDT on the 1st happens again at 01:30 EST (06:30Z): only the first fires; then 01:30 EST on the 2nd.
    expect(firedAt()).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'])
  })

  it('keeps firing after a run fails', async () => {
    const errors: unknown[] = []
    await backend.close()
    backend = createLocalBackend({
      fire: () => {
        throw new Error('boom')
      },
      onError: e => errors.push(e),
    })
    vi.setSystemTime(new Date('2026-11-25T10:00:00Z'))
    await backend.put(schedule('flaky', 'rate(1 minute)'))
    await vi.advanceTimersByTimeAsync(3 * 60_000)
    expect(errors).toHaveLength(3)
  })

  it('stops every timer when closed', async () => {
    vi.setSystemTime(new Date('2026-11-25T10:00:00Z'))
    await backend.put(schedule('a', 'rate(1 minute)'))
    await backend.close()
    await vi.advanceTimersByTimeAsync(5 * 60_000)
    expect(fired).toEqual([])
  })
})
