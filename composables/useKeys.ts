// API keys for the admin page: the list (GET /api/keys, admin key), creating one (its key shown once) and revoking.
// Every request carries the signed-in key through useApi() (the x-api-key header of useApiKey()).
import type { ApiKeyView, KeyInput } from '#shared/schemas/key'

/** This page's texts, beside the app's shared ones (a local i18n scope falls back to the global messages). */
export const KEYS_MESSAGES = {
  'en': {
    keys: {
      title: 'API keys',
      intro: 'Each key has a scope (read, or admin to change things), a rate limit and an optional quota. A new key is shown once; only its hash is kept.',
      adminOnly: 'Managing API keys needs an admin key.',
      newKey: 'New key',
      name: 'Name',
      id: 'Id',
      scope: 'Scope',
      rate: 'Rate limit',
      rateValue: '{rate}/s, bursts of {burst}',
      quota: 'Quota',
      noQuota: 'none',
      quotaValue: '{limit} per {period}',
      day: 'day',
      month: 'month',
      created: 'Created',
      lastUsed: 'Last used',
      never: 'never',
      status: 'Status',
      active: 'active',
      revoked: 'revoked',
      revoke: 'Revoke',
      revokeLabel: 'Revoke {name}',
      revokeConfirm: 'Revoke {name}? Requests with it are refused from now on; this cannot be undone.',
      revokedToast: 'Revoked {name}',
      empty: 'No API keys yet',
      create: 'Create key',
      createTitle: 'New API key',
      scopeRead: 'read: reads only',
      scopeAdmin: 'admin: may change anything',
      rateHint: 'requests per second',
      burst: 'Burst',
      burstHint: 'requests at once after a quiet spell',
      quotaOn: 'Limit requests per day or month',
      quotaLimit: 'Requests',
      quotaPeriod: 'Per',
      createdTitle: 'Key created',
      shownOnce: 'This is the only time the key is shown: copy it now. Only its hash is stored.',
      copy: 'Copy',
      copied: 'Copied',
      done: 'Done',
      createdToast: 'Created {name}',
    },
  },
  'zh-CN': {
    keys: {
      title: 'API 密钥',
      intro: '每个密钥有一个权限范围（read 只读，admin 可修改）、一个速率限制和可选的配额。新密钥只显示一次，服务器只保存它的哈希值。',
      adminOnly: '管理 API 密钥需要 admin 密钥。',
      newKey: '新建密钥',
      name: '名称',
      id: 'ID',
      scope: '权限范围',
      rate: '速率限制',
      rateValue: '每秒 {rate} 次，突发 {burst} 次',
      quota: '配额',
      noQuota: '无',
      quotaValue: '每{period} {limit} 次',
      day: '天',
      month: '月',
      created: '创建时间',
      lastUsed: '最近使用',
      never: '从未',
      status: '状态',
      active: '有效',
      revoked: '已吊销',
      revoke: '吊销',
      revokeLabel: '吊销 {name}',
      revokeConfirm: '吊销 {name}？之后使用它的请求都会被拒绝，且无法撤销。',
      revokedToast: '已吊销 {name}',
      empty: '还没有 API 密钥',
      create: '创建密钥',
      createTitle: '新建 API 密钥',
      scopeRead: 'read：只读',
      scopeAdmin: 'admin：可修改一切',
      rateHint: '每秒请求数',
      burst: '突发',
      burstHint: '空闲后可一次发出的请求数',
      quotaOn: '限制每天或每月的请求数',
      quotaLimit: '请求数',
      quotaPeriod: '每',
      createdTitle: '密钥已创建',
      shownOnce: '密钥只在此显示一次：请立即复制。服务器只保存它的哈希值。',
      copy: '复制',
      copied: '已复制',
      done: '完成',
      createdToast: '已创建 {name}',
    },
  },
}

export function useKeys() {
  const api = useApi()
  const list = usePagedList<ApiKeyView>('/api/keys', () => ({ limit: 20 }))

  /** Creates a key; answers it with the plain key, which the server shows this once. */
  async function create(input: KeyInput): Promise<ApiKeyView & { key: string }> {
    const created = await api<ApiKeyView & { key: string }>('/api/keys', { method: 'POST', body: input })
    await list.reset()
    return created
  }

  /** Revokes a key from the next request on. */
  async function revoke(id: string): Promise<ApiKeyView> {
    const revoked = await api<ApiKeyView>(`/api/keys/${encodeURIComponent(id)}`, { method: 'DELETE' })
    list.items.value = list.items.value.map(k => (k.id === id ? revoked : k))
    return revoked
  }

  return { ...list, create, revoke }
}
