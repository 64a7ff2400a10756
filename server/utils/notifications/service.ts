// The channels: create (the URL and signing secret answered this once), replace (a URL or secret left out, or sent
// back masked, stays as stored), delete. What the schema cannot see is checked here: the URL's address after DNS
// (outbound.ts) and the rules a channel names.
import { randomBytes } from 'node:crypto'
import type { ChannelInput, ChannelView, CreatedChannel } from '#shared/schemas/channel'
import { issue } from '#shared/schemas/issue'
import type { FieldIssue } from '#shared/schemas/issue'
import { InvalidInput, RuleNotFound } from '../errors'
import type { RulesRepository } from '../rules/repository'
import { checkOutboundUrl, OutboundRefused } from '../net/outbound'
import type { OutboundOptions } from '../net/outbound'
import type { NotificationsRepository, StoredChannel } from './repository'
import { maskUrl, toChannelView } from './views'

export interface ChannelDeps {
  channels: Pick<NotificationsRepository, 'get' | 'list' | 'create' | 'replace' | 'remove'>
  rules: Pick<RulesRepository, 'get'>
  outbound: OutboundOptions
  now?: () => Date
}

async function checkInput(deps: ChannelDeps, input: ChannelInput): Promise<void> {
  const issues: FieldIssue[] = []
  if (input.url) {
    try {
      await checkOutboundUrl(input.url, deps.outbound)
    }
    catch (error) {
      if (!(error instanceof OutboundRefused)) throw error
      issues.push({ path: 'url', ...issue(error.code, error.params) })
    }
  }
  if (input.rules !== 'all') {
    const found = await Promise.all(input.rules.map(name => deps.rules.get(name).then(() => true, (e) => {
      if (e instanceof RuleNotFound) return false
      throw e
    })))
    input.rules.forEach((name, i) => {
      if (!found[i]) issues.push({ path: `rules.${i}`, ...issue('channel.rules.unknown', { name }) })
    })
  }
  if (issues.length) throw new InvalidInput('channel', issues)
}

function stored(input: ChannelInput, base: { url?: string, secret?: string, createdAt: string, version: number }, now: string): StoredChannel {
  return {
    name: input.name,
    type: input.type,
    ...(input.description ? { description: input.description } : {}),
    ...(base.url ? { url: base.url } : {}),
    ...(base.secret ? { secret: base.secret } : {}),
    ...(input.topicArn ? { topicArn: input.topicArn } : {}),
    ...(input.type === 'eventbridge' ? { busName: input.busName ?? 'default' } : {}),
    events: input.events,
    rules: input.rules,
    enabled: input.enabled,
    createdAt: base.createdAt,
    updatedAt: now,
    version: base.version,
  }
}

/** Every channel, without secrets. */
export async function listChannels(deps: Pick<ChannelDeps, 'channels'>): Promise<ChannelView[]> {
  return (await deps.channels.list()).map(toChannelView)
}

/** Creates a channel; a webhook without a secret gets a generated one. Answers the view and, this once, the secrets. */
export async function createChannel(deps: ChannelDeps, input: ChannelInput): Promise<CreatedChannel> {
  await checkInput(deps, input)
  const now = (deps.now?.() ?? new Date()).toISOString()
  const secret = input.type === 'webhook' ? input.secret ?? randomBytes(32).toString('base64url') : undefined
  const channel = stored(input, { url: input.url, secret, createdAt: now, version: 1 }, now)
  await deps.channels.create(channel)
  return { ...toChannelView(channel), secrets: { ...(channel.url ? { url: channel.url } : {}), ...(secret ? { secret } : {}) } }
}

/**
 * Replaces a channel at `version`. A URL left out, or sent back as the mask that was read, keeps the stored one, as
 * does a secret left out; a change of type needs its new target in full.
 */
export async function replaceChannel(deps: ChannelDeps, input: ChannelInput, version: number): Promise<ChannelView> {
  const current = await deps.channels.get(input.name)
  const sentUrl = input.url
  const keepUrl = current.type === input.type && current.url !== undefined && (sentUrl === undefined || sentUrl === maskUrl(current.url))
  const url = keepUrl ? current.url : sentUrl
  const full = { ...input, url } as ChannelInput
  // Only a URL that is new is checked again: the stored one was checked when it was written, and is at every delivery.
  await checkInput(deps, keepUrl ? { ...full, url: undefined } : full)
  if (!url && (input.type === 'webhook' || input.type === 'slack' || input.type === 'teams')) {
    throw new InvalidInput('channel', [{ path: 'url', ...issue('channel.url.required', { type: input.type }) }])
  }
  const secret = input.type !== 'webhook' ? undefined : input.secret ?? (current.type === 'webhook' ? current.secret : randomBytes(32).toString('base64url'))
  const now = (deps.now?.() ?? new Date()).toISOString()
  const channel = stored(full, { url, secret, createdAt: current.createdAt, version: version + 1 }, now)
  await deps.channels.replace(channel, version)
  return toChannelView(channel)
}

/** Deletes a channel; answers it without secrets. */
export async function deleteChannel(deps: Pick<ChannelDeps, 'channels'>, name: string): Promise<ChannelView> {
  return toChannelView(await deps.channels.remove(name))
}
