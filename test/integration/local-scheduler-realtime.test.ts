// The local scheduler on the real clock: a schedule a few seconds ahead fires within 1 s of its time.
import { describe, expect, it } from 'vitest'
import { formatInZone } from '../../shared/schedule'
import { createLocalBackend } from '../../server/utils/schedules/local'
import type { DesiredSchedule } from '../../server/utils/schedules/spec'

function atExpression(date: Date, timezone: string): string {
  // at() takes the local wall-clock time of the schedule's zone, to the second.
  return `at(${formatInZone(date, timezone).slice(0, 19)})`
}

describe('local scheduler on the real clock', () => {
  it('fires a schedule due in a few seconds within 1 s, once', async () => {
    const fired: { rule: string, at: number, scheduled: number }[] = []
    const backend = createLocalBackend({ fire: (r) => {
      fired.push({ rule: r.rule, at: Date.now(), scheduled: Date.parse(r.scheduledTime) })
    } })
    const due = new Date(Math.ceil((Date.now() + 2_000) / 1000) * 1000)
    const timezone = 'Asia/Kolkata'
    const schedule: DesiredSchedule = {
      name: 'soon', group: 'ouroboros', expression: atExpression(due, timezone), timezone, state: 'ENABLED',
      targetArn: '', roleArn: '', input: '', retryAttempts: 3, maxEventAgeSeconds: 3600, dlqArn: '',
    }
    try {
      await backend.put(schedule)
      await backend.put({ ...schedule, name: 'disabled', state: 'DISABLED' })
      await new Promise(r => setTimeout(r, due.getTime() - Date.now() + 1_500))
      expect(fired.map(f => f.rule)).toEqual(['soon'])
      expect(fired[0]!.scheduled).toBe(due.getTime())
      const delay = fired[0]!.at - due.getTime()
      expect(delay).toBeGreaterThanOrEqual(-50)
      expect(delay).toBeLessThan(1_000)
    }
    finally {
      await backend.close()
    }
  })
})
