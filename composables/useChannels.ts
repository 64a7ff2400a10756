// Notification channels for the admin page: the list (GET /api/channels, admin key), creating one (its URL and
// signing secret shown once), editing one or turning it on or off (PUT with the version read: the URL and secret
// left out stay as stored), sending a test, deleting. Every request carries the signed-in key through useApi().
import type { ChannelInput, ChannelTestResult, ChannelView, CreatedChannel } from '#shared/schemas/channel'

export function useChannels() {
  const api = useApi()
  const items = ref<ChannelView[]>([])
  const loading = ref(false)
  const error = ref('')

  async function load() {
    loading.value = true
    error.value = ''
    try {
      items.value = (await api<{ items: ChannelView[] }>('/api/channels')).items
    }
    catch (e) {
      error.value = apiErrorMessage(e)
    }
    finally {
      loading.value = false
    }
  }

  /** Creates a channel; answers it with its secrets, which the server shows this once. */
  async function create(input: Partial<ChannelInput>): Promise<CreatedChannel> {
    const created = await api<CreatedChannel>('/api/channels', { method: 'POST', body: input })
    await load()
    return created
  }

  /** Replaces a channel at the version read (a URL or secret left out stays); answers it and puts it in the list. */
  async function replace(input: Partial<ChannelInput> & { name?: string, version: number }): Promise<ChannelView> {
    const saved = await api<ChannelView>(`/api/channels/${encodeURIComponent(input.name ?? '')}`, { method: 'PUT', body: input })
    items.value = items.value.map(c => (c.name === saved.name ? saved : c))
    return saved
  }

  /** Turns a channel on or off: the channel as read, its `enabled` changed (its URL and secret stay). */
  function setEnabled(c: ChannelView, enabled: boolean): Promise<ChannelView> {
    const { name, type, description, topicArn, busName, events, rules, version } = c
    return replace({ name, type, ...(description ? { description } : {}), ...(topicArn ? { topicArn } : {}), ...(busName ? { busName } : {}), events, rules, enabled, version })
  }

  /** Sends a test notice; answers what the receiver answered. */
  function test(name: string): Promise<ChannelTestResult> {
    return api<ChannelTestResult>(`/api/channels/${encodeURIComponent(name)}/test`, { method: 'POST' })
  }

  async function remove(name: string): Promise<void> {
    await api(`/api/channels/${encodeURIComponent(name)}`, { method: 'DELETE' })
    items.value = items.value.filter(c => c.name !== name)
  }

  /** The names of the rules, for choosing a channel's rules (the first 100, in name order). */
  async function ruleNames(): Promise<string[]> {
    return (await api<{ items: { name: string }[] }>('/api/rules', { query: { limit: 100 } })).items.map(r => r.name)
  }

  return { items, loading, error, load, create, replace, setEnabled, test, remove, ruleNames }
}
