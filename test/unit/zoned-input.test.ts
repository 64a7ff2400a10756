import { describe, expect, it } from 'vitest'
import { fromZonedInput, toZonedInput } from '../../shared/zoned-input'

describe('a picked date-time in a chosen time zone', () => {
  it.each([
    ['2026-12-24T18:00:00', 'Europe/Berlin', '2026-12-24T17:00:00.000Z'],
    ['2026-12-24T18:00:00', 'America/Los_Angeles', '2026-12-25T02:00:00.000Z'],
    ['2026-07-01T09:30:00', 'Asia/Shanghai', '2026-07-01T01:30:00.000Z'],
    ['2026-10-25T02:30:00', 'Europe/Berlin', '2026-10-25T00:30:00.000Z'],
    ['2026-12-24T18:00', 'UTC', '2026-12-24T18:00:00.000Z'],
  ])('reads %s in %s as %s', (value, zone, iso) => {
    expect(fromZonedInput(value, zone)?.toISOString()).toBe(iso)
  })

  it('has no instant for a time in the spring-forward gap, nor for text that is not a date-time', () => {
    expect(fromZonedInput('2026-03-29T02:30:00', 'Europe/Berlin')).toBeNull()
    expect(fromZonedInput('tomorrow', 'UTC')).toBeNull()
  })

  it('shows an instant as the clock of the zone reads it, and reads it back', () => {
    const instant = new Date('2026-12-25T02:00:00Z')
    expect(toZonedInput(instant, 'America/Los_Angeles')).toBe('2026-12-24T18:00:00')
    expect(fromZonedInput(toZonedInput(instant, 'Asia/Tokyo'), 'Asia/Tokyo')?.toISOString()).toBe(instant.toISOString())
  })
})
