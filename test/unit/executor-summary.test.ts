// A run's verdict: counts, status and message.
import { describe, expect, it } from 'vitest'
import type { LogTarget } from '../../shared/schemas/log'
import { countTargets, runStatus } from '../../server/utils/executor/summary'

const target = (outcome: LogTarget['outcome'], i = 0): LogTarget => ({ instanceId: `i-${outcome}-${i}`, region: 'us-east-1', outcome })

describe('countTargets', () => {
  it('counts acted (started, stopped, hibernated), skipped and failed', () => {
    const targets = [target('started'), target('stopped'), target('hibernated'), target('skipped'), target('skipped', 1), target('failed')]
    expect(countTargets(targets)).toEqual({ total: 6, acted: 3, skipped: 2, failed: 1 })
  })
})

describe('runStatus', () => {
  const counts = (acted: number, skipped: number, failed: number) => ({ total: acted + skipped + failed, acted, skipped, failed })
  const denied = [{ region: 'us-east-1', message: 'could not assume R' }, { region: 'eu-west-1', message: 'could not assume R' }]

  it.each([
    ['every needed action done', counts(3, 1, 0), [], 'succeeded', undefined],
    ['nothing needed', counts(0, 4, 0), [], 'nothing-to-do', undefined],
    ['no instance at all', counts(0, 0, 0), [], 'nothing-to-do', undefined],
    ['some instances failed', counts(2, 0, 1), [], 'partial', '1 of 3 instances could not be acted on (see their errors)'],
    ['every instance failed', counts(0, 5, 2), [], 'failed', '2 of 2 instances could not be acted on (see their errors)'],
    ['one region failed, another acted', counts(1, 0, 0), [{ region: 'eu-west-1', message: 'OptInRequired: x' }], 'partial', 'eu-west-1: OptInRequired: x'],
    ['the role could not be assumed', counts(0, 0, 0), denied, 'failed', 'us-east-1, eu-west-1: could not assume R'],
  ] as const)('%s', (_label, c, errors, status, message) => {
    expect(runStatus(c, [...errors])).toEqual(message ? { status, message } : { status })
  })
})
