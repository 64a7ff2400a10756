// The repository suite, run twice: against moto's DynamoDB and against the embedded store.
import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogEntry } from '../../shared/schemas/log'
import { RuleInputSchema } from '../../shared/schemas/rule'
import type { RuleInput } from '../../shared/schemas/rule'
import { InvalidCursor, LogExists, LogNotFound, RuleExists, RuleNotFound, VersionConflict } from '../../server/utils/errors'
import { createLogsRepository } from '../../server/utils/logs'
import type { LogsRepository } from '../../server/utils/logs'
import { createRulesRepository } from '../../server/utils/rules/repository'
import type { RulesRepository } from '../../server/utils/rules/repository'
import { callers, embeddedStore, motoStore, settledCallers } from './helpers/stores'
import type { TestStore } from './helpers/stores'

function draft(overrides: Partial<RuleInput> = {}) {
  const parsed = RuleInputSchema.parse({
    name: 'web-stop',
    accountId: '123456789012',
    action: 'stop',
    filters: 'tag:Name=web,vpc-id=vpc-4085e027',
    scheduleExpression: 'cron(0 19 ? * MON-FRI *)',
    timezone: 'Europe/Berlin',
    ...overrides,
  })
  return { ...parsed, regions: parsed.regions ?? ['us-east-1'] }
}

const NOW = new Date('2026-11-26T00:00:00Z')

function logEntry(eventId: string, ruleName: string, startedAt: string): LogEntry {
  return {
    eventId,
    ruleName,
    trigger: 'schedule',
    scheduledTime: startedAt,
    startedAt,
    finishedAt: startedAt,
    action: 'stop',
    accountId: '123456789012',
    regions: ['us-east-1'],
    filters: [{ key: 'tag:Name', values: ['web'] }],
    status: 'succeeded',
    targets: [{ instanceId: 'i-0123456789abcdef0', region: 'us-east-1', stateBefore: 'running', stateAfter: 'stopped', outcome: 'stopped' }],
    counts: { total: 1, acted: 1, skipped: 0, failed: 0 },
  }
}

describe.each([
  ['moto DynamoDB', motoStore],
  ['embedded store', embeddedStore],
] as const)('repositories on %s', (_label, open) => {
  let ctx: TestStore
  let rules: RulesRepository
  let logs: LogsRepository

  beforeAll(async () => {
    ctx = await open()
    rules = createRulesRepository(ctx.store.doc, ctx.tables.rules)
    // The runs below are dated November 2026: the repository reads its clock at the same instant, whatever the date.
    logs = createLogsRepository(ctx.store.doc, ctx.tables.logs, 90, () => NOW)
  })
  afterAll(async () => ctx?.cleanup())

  describe('rules', () => {
    it('creates a rule at version 1 and reads it back', async () => {
      const created = await rules.create(draft({ name: 'read-back' }), new Date('2026-11-25T10:00:00Z'))
      expect(created).toMatchObject({ name: 'read-back', version: 1, createdAt: '2026-11-25T10:00:00.000Z', updatedAt: '2026-11-25T10:00:00.000Z' })
      const read = await rules.get('read-back')
      expect(read).toEqual(created)
      expect(read.filters).toEqual([{ key: 'tag:Name', values: ['web'] }, { key: 'vpc-id', values: ['vpc-4085e027'] }])
    })

    it('refuses a second rule with the same name', async () => {
      await rules.create(draft({ name: 'taken' }))
      await expect(rules.create(draft({ name: 'taken', action: 'start' }))).rejects.toBeInstanceOf(RuleExists)
      expect((await rules.get('taken')).action).toBe('stop')
    })

    it('lets exactly one of many concurrent creations of one name win', async () => {
      const attempts = await settledCallers(ctx, 8, i => rules.create(draft({ name: 'race', description: `attempt ${i}` })))
      const won = attempts.filter(a => a.status === 'fulfilled')
      const lost = attempts.filter(a => a.status === 'rejected')
      expect(won).toHaveLength(1)
      expect(lost.every(a => a.status === 'rejected' && a.reason instanceof RuleExists)).toBe(true)
      const stored = await rules.get('race')
      expect(stored.description).toBe((won[0] as PromiseFulfilledResult<{ description?: string }>).value.description)
    })

    it('replaces a rule when the version is current, keeping createdAt', async () => {
      const created = await rules.create(draft({ name: 'replace-me' }), new Date('2026-01-01T00:00:00Z'))
      const updated = await rules.replace(draft({ name: 'replace-me', action: 'start' }), created.version, new Date('2026-02-01T00:00:00Z'))
      expect(updated).toMatchObject({ action: 'start', version: 2, createdAt: created.createdAt, updatedAt: '2026-02-01T00:00:00.000Z' })
      expect(await rules.get('replace-me')).toEqual(updated)
    })

    it('refuses an update that carries a stale version and keeps the newer rule', async () => {
      const created = await rules.create(draft({ name: 'stale' }))
      await rules.replace(draft({ name: 'stale', description: 'first writer' }), created.version)
      const attempt = rules.replace(draft({ name: 'stale', description: 'second writer' }), created.version)
      await expect(attempt).rejects.toBeInstanceOf(VersionConflict)
      await expect(attempt).rejects.toThrow('changed by someone else')
      expect((await rules.get('stale')).description).toBe('first writer')
    })

    it('lets exactly one of two concurrent updates from the same version win', async () => {
      const created = await rules.create(draft({ name: 'update-race' }))
      const results = await settledCallers(ctx, 2, i => rules.replace(draft({ name: 'update-race', description: 'ab'[i] }), created.version))
      expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1)
      expect((await rules.get('update-race')).version).toBe(2)
    })

    it('answers RuleNotFound for a rule that does not exist', async () => {
      await expect(rules.get('nope')).rejects.toBeInstanceOf(RuleNotFound)
      await expect(rules.replace(draft({ name: 'nope' }), 1)).rejects.toBeInstanceOf(RuleNotFound)
      await expect(rules.setEnabled('nope', false)).rejects.toBeInstanceOf(RuleNotFound)
      await expect(rules.remove('nope')).rejects.toBeInstanceOf(RuleNotFound)
    })

    it('disables and enables a rule, counting versions', async () => {
      await rules.create(draft({ name: 'toggle' }))
      const off = await rules.setEnabled('toggle', false)
      expect(off).toMatchObject({ enabled: false, version: 2 })
      await expect(rules.setEnabled('toggle', true, 1)).rejects.toBeInstanceOf(VersionConflict)
      const on = await rules.setEnabled('toggle', true, 2)
      expect(on).toMatchObject({ enabled: true, version: 3 })
    })

    it('pauses a rule and ends the pause, leaving its schedule and updatedAt alone, and keeps the pause through a full update', async () => {
      const created = await rules.create(draft({ name: 'pause-me' }))
      await rules.markScheduleSynced('pause-me', 1, { status: 'in-sync', hash: 'h' })
      const paused = await rules.patch('pause-me', { pausedUntil: '2026-12-24T18:00:00.000Z' }, 1)
      expect(paused).toMatchObject({ pausedUntil: '2026-12-24T18:00:00.000Z', version: 2, updatedAt: created.updatedAt, schedule: { status: 'in-sync', hash: 'h' } })
      const replaced = await rules.replace(draft({ name: 'pause-me', description: 'edited' }), 2)
      expect(replaced).toMatchObject({ pausedUntil: '2026-12-24T18:00:00.000Z', version: 3 })
      const both = await rules.patch('pause-me', { enabled: false, pausedUntil: null }, 3)
      expect(both).toMatchObject({ enabled: false, version: 4, schedule: { status: 'pending' } })
      expect(both.pausedUntil).toBeUndefined()
      await expect(rules.patch('pause-me', { pausedUntil: null }, 3)).rejects.toBeInstanceOf(VersionConflict)
    })

    it('deletes a rule and answers what it deleted', async () => {
      await rules.create(draft({ name: 'delete-me' }))
      await expect(rules.remove('delete-me', 7)).rejects.toBeInstanceOf(VersionConflict)
      expect((await rules.remove('delete-me')).name).toBe('delete-me')
      await expect(rules.get('delete-me')).rejects.toBeInstanceOf(RuleNotFound)
    })

    it('lists rules in name order, page by page, each exactly once', async () => {
      const names = Array.from({ length: 23 }, (_, i) => `page-${String(i).padStart(2, '0')}`)
      for (const name of [...names].reverse()) await rules.create(draft({ name }))
      const seen: string[] = []
      let cursor: string | undefined
      let pages = 0
      do {
        const page = await rules.list({ limit: 5, cursor, q: 'page-' })
        expect(page.items.length).toBeLessThanOrEqual(5)
        seen.push(...page.items.map(r => r.name))
        cursor = page.cursor ?? undefined
        pages++
      } while (cursor)
      expect(seen).toEqual(names)
      expect(pages).toBeGreaterThanOrEqual(5)
      const all = await rules.list({ limit: 100 })
      const listed = all.items.map(r => r.name)
      expect(listed).toEqual([...listed].sort())
    })

    it('finds rules by a case-insensitive piece of the name or description', async () => {
      await rules.create(draft({ name: 'Find-Me-Name' }))
      await rules.create(draft({ name: 'other-one', description: 'Nightly STOP of the findable fleet' }))
      expect((await rules.list({ limit: 50, q: 'find-me' })).items.map(r => r.name)).toEqual(['Find-Me-Name'])
      expect((await rules.list({ limit: 50, q: 'FINDABLE' })).items.map(r => r.name)).toEqual(['other-one'])
    })

    it.each([
      ['not base64', '!!!'],
      ['not JSON', Buffer.from('hello').toString('base64url')],
      ['the wrong keys', Buffer.from(JSON.stringify({ eventId: 'x' })).toString('base64url')],
      ['a foreign partition', Buffer.from(JSON.stringify({ kind: 'log', name: 'a' })).toString('base64url')],
    ])('refuses a cursor that is %s', async (_what, cursor) => {
      await expect(rules.list({ limit: 5, cursor })).rejects.toBeInstanceOf(InvalidCursor)
    })
  })

  describe('logs', () => {
    it('writes a run once and reads it back with every target', async () => {
      const entry = logEntry('evt-once', 'log-rule', '2026-11-25T10:00:00.000Z')
      await logs.put(entry)
      await expect(logs.put({ ...entry, status: 'failed' })).rejects.toBeInstanceOf(LogExists)
      expect(await logs.get('evt-once')).toEqual(entry)
    })

    it('sets the expiry from the retention', async () => {
      await logs.put(logEntry('evt-ttl', 'ttl-rule', '2026-11-25T00:00:00.000Z'))
      const { Item } = await ctx.store.doc.send(new GetCommand({ TableName: ctx.tables.logs, Key: { eventId: 'evt-ttl' } }))
      expect(Item?.expiresAt).toBe(Date.parse('2026-11-25T00:00:00Z') / 1000 + 90 * 86_400)
    })

    it('hides a run past its retention before the TTL sweep deletes it', async () => {
      await logs.put(logEntry('evt-aged', 'ttl-rule', '2026-11-25T10:00:00.000Z'))
      const later = createLogsRepository(ctx.store.doc, ctx.tables.logs, 90, () => new Date(Date.parse('2026-11-25T10:00:00Z') + 91 * 86_400_000))
      await expect(later.get('evt-aged')).rejects.toBeInstanceOf(LogNotFound)
      expect((await logs.get('evt-aged')).eventId).toBe('evt-aged')
    })

    it('answers LogNotFound for an unknown run', async () => {
      await expect(logs.get('evt-missing')).rejects.toBeInstanceOf(LogNotFound)
    })

    it('lists the runs of one rule newest first, page by page, without their targets', async () => {
      const times = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2026, 10, 20, 8, i)).toISOString())
      for (const [i, t] of times.entries()) await logs.put(logEntry(`evt-a-${i}`, 'rule-a', t))
      await logs.put(logEntry('evt-b-0', 'rule-b', '2026-11-20T09:00:00.000Z'))
      const seen: string[] = []
      let cursor: string | undefined
      do {
        const page = await logs.list({ limit: 5, rule: 'rule-a', cursor })
        for (const item of page.items) expect(item).not.toHaveProperty('targets')
        seen.push(...page.items.map(l => l.startedAt))
        cursor = page.cursor ?? undefined
      } while (cursor)
      expect(seen).toEqual([...times].reverse())
    })

    it('lets one delivery claim a run, takes a stale claim over, and keeps claims out of logs and lists', async () => {
      const now = new Date('2026-11-25T12:00:00Z')
      const later = (ms: number) => new Date(now.getTime() + ms)
      expect(await logs.claim('evt-claimed', now, 60_000)).toBe(true)
      // Many at once, while it is held: none wins.
      expect(await callers(ctx, 5, () => logs.claim('evt-claimed', later(1000), 60_000))).toEqual(Array(5).fill(false))
      // Older than the stale limit: taken over, by one only.
      const takeovers = await callers(ctx, 5, () => logs.claim('evt-claimed', later(61_000), 60_000))
      expect(takeovers.filter(Boolean)).toHaveLength(1)
      // Released, it can be claimed again at once.
      await logs.release('evt-claimed')
      expect(await logs.claim('evt-claimed', later(62_000), 60_000)).toBe(true)
      // A claim is no log, under its own id or the run's.
      await expect(logs.get('evt-claimed')).rejects.toBeInstanceOf(LogNotFound)
      await expect(logs.get('claim#evt-claimed')).rejects.toBeInstanceOf(LogNotFound)
    })

    it('keeps the follow-up checks waiting apart from the runs, soonest first, until each is cleared', async () => {
      await logs.markFollowUp('evt-db-2', '2026-11-25T19:30:00.000Z', '2026-11-25T19:15:00.000Z')
      await logs.markFollowUp('evt-db-1', '2026-11-25T19:15:00.000Z', '2026-11-25T19:00:00.000Z')
      const waiting = async () => {
        const all: { eventId: string, due: string }[] = []
        for await (const w of logs.followUpsWaiting()) all.push(w)
        return all
      }
      expect(await waiting()).toEqual([{ eventId: 'evt-db-1', due: '2026-11-25T19:15:00.000Z' }, { eventId: 'evt-db-2', due: '2026-11-25T19:30:00.000Z' }])
      // No list shows them, and they are no log.
      expect((await logs.list({ limit: 100 })).items.map(l => l.eventId)).not.toContain('followup#evt-db-1')
      await expect(logs.get('followup#evt-db-1')).rejects.toBeInstanceOf(LogNotFound)
      await logs.clearFollowUp('evt-db-1')
      await logs.clearFollowUp('evt-db-1')
      expect(await waiting()).toEqual([{ eventId: 'evt-db-2', due: '2026-11-25T19:30:00.000Z' }])
      await logs.clearFollowUp('evt-db-2')
    })

    it('lists the runs of all rules newest first', async () => {
      const page = await logs.list({ limit: 100 })
      const started = page.items.map(l => l.startedAt)
      expect(started).toEqual([...started].sort().reverse())
      expect(new Set(page.items.map(l => l.ruleName))).toEqual(new Set(['log-rule', 'ttl-rule', 'rule-a', 'rule-b']))
    })

    it('prunes the runs older than the retention, and only those', async () => {
      const now = new Date('2026-11-25T00:00:00Z')
      const old = new Date(now.getTime() - 91 * 86_400_000).toISOString()
      const recent = new Date(now.getTime() - 89 * 86_400_000).toISOString()
      for (let i = 0; i < 30; i++) await logs.put(logEntry(`evt-old-${i}`, 'prune-rule', old))
      await logs.put(logEntry('evt-recent', 'prune-rule', recent))
      expect(await logs.pruneExpired(now)).toBeGreaterThanOrEqual(30)
      const left = await logs.list({ limit: 100, rule: 'prune-rule' })
      expect(left.items.map(l => l.eventId)).toEqual(['evt-recent'])
      await expect(logs.get('evt-old-0')).rejects.toBeInstanceOf(LogNotFound)
    })

    it('refuses a cursor of one rule\'s logs for another rule', async () => {
      const page = await logs.list({ limit: 2, rule: 'rule-a' })
      expect(page.cursor).not.toBeNull()
      await expect(logs.list({ limit: 2, rule: 'rule-b', cursor: page.cursor! })).rejects.toBeInstanceOf(InvalidCursor)
      await expect(logs.list({ limit: 2, cursor: page.cursor! })).rejects.toBeInstanceOf(InvalidCursor)
    })
  })
})
