// The local scheduler on the real clock: a schedule a few seconds ahead fires once, never early, for its own time.
// How late it fires depends on the machine: that figure is `npm run bench -- local-firing`'s, not an assertion here.
import { describe, expect, it } from 'vitest'
import { formatInZone } from '../../shared/schedule'
import { createLocalBackend } from '../../server/utils/schedules/local'
import type { DesiredSchedule } from '../../server/utils/schedules/spec'

function atExpression(date: Date, timezone: string): string {
  // at() takes the local wall-clock time of the schedule's zone, to the second.
  return `at(${formatInZone(date, timezone).slice(0, 19)})`
}

describe('local scheduler on the real clock', () => {
  it('fires a schedule due in a few seconds once, not before its time', async () => {
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
      // Wait for the firing however late it comes, then as long again for a second one that must not come.
      await new Promise(r => setTimeout(r, due.getTime() - Date.now()))
      while (!fired.length) await new Promise(r => setTimeout(r, 50))
      await new Promise(r => setTimeout(r, Math.max(500, Date.now() - due.getTime())))
      expect(fired.map(f => f.rule)).toEqual(['soon'])
      expect(fired[0]!.scheduled).toBe(due.getTime())
      // A timer may wake a few milliseconds early by the wall clock; the backend waits out the rest.
      expect(fired[0]!.at).toBeGreaterThanOrEqual(due.getTime() - 50)
    }
    finally {
      await backend.close()
    }
  })
})
