// The audit trail for the admin page: every change made through the API, newest first, of one rule or all
// (GET /api/audit, admin key, sent through useApi()).
import type { AuditRecord } from '#shared/schemas/audit'

/** This page's texts, beside the app's shared ones. */
export const AUDIT_MESSAGES = {
  'en': {
    audit: {
      title: 'Audit trail',
      titleOf: 'Audit trail of {rule}',
      intro: 'Every change made through the API: which key, what, when and from where.',
      adminOnly: 'The audit trail needs an admin key.',
      filterRule: 'Rule name',
      refresh: 'Refresh',
      time: 'Time',
      key: 'Key',
      change: 'Change',
      rule: 'Rule',
      route: 'Route',
      ip: 'Client IP',
      empty: 'No changes recorded',
    },
  },
  'zh-CN': {
    audit: {
      title: '审计记录',
      titleOf: '{rule} 的审计记录',
      intro: '通过 API 所做的每一次修改：哪个密钥、做了什么、何时、从哪里。',
      adminOnly: '查看审计记录需要 admin 密钥。',
      filterRule: '规则名称',
      refresh: '刷新',
      time: '时间',
      key: '密钥',
      change: '修改',
      rule: '规则',
      route: '路由',
      ip: '客户端 IP',
      empty: '没有修改记录',
    },
  },
}

export function useAudit(rule: Ref<string | undefined>) {
  return usePagedList<AuditRecord>('/api/audit', () => ({ rule: rule.value, limit: 20 }))
}
