// A channel as the API shows it: the receiver's URL masked (`https://hooks.slack.com/…/XXXX`), the signing secret
// never, only whether there is one. Masking is also how an error text loses a secret before it is recorded.
import type { ChannelView } from '#shared/schemas/channel'
import type { StoredChannel } from './repository'

/** `https://hooks.slack.com/…/XXXX`: the origin and the last four characters, nothing of the path or query between. */
export function maskUrl(url: string): string {
  if (!URL.canParse(url)) return '…'
  const { origin } = new URL(url)
  return `${origin}/…/${url.slice(-4)}`
}

/** The channel without its secrets. */
export function toChannelView(channel: StoredChannel): ChannelView {
  const { url, secret, ...rest } = channel
  return {
    ...rest,
    ...(url ? { url: maskUrl(url) } : {}),
    ...(channel.type === 'webhook' ? { hasSecret: Boolean(secret) } : {}),
  }
}

/** `text` with every secret of `channel` replaced by its mask, for errors that might quote them. */
export function withoutSecrets(text: string, channel: Pick<StoredChannel, 'url' | 'secret'>): string {
  let out = text
  if (channel.url) out = out.split(channel.url).join(maskUrl(channel.url))
  if (channel.url && URL.canParse(channel.url)) {
    const { pathname, search } = new URL(channel.url)
    if (pathname.length > 1) out = out.split(pathname).join('/…')
    if (search) out = out.split(search).join('?…')
  }
  if (channel.secret) out = out.split(channel.secret).join('…')
  return out
}
