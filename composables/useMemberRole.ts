// The member-account setup for the accounts page (admin key): GET /api/setup/member-role answers, for one account
// id, the role a rule assumes there and the exact commands that create it. Also the account ids the rules use.
import type { Page } from '#shared/schemas/list'
import type { RuleView } from '#shared/schemas/rule'
// What GET /api/setup/member-role answers (its schema: shared/answers/setup.ts).
import type { MemberRoleSetup } from '#shared/answers/setup'

export type { MemberRoleSetup }

/** The setup of one account at a time, with its loading and error state. */
export function useMemberRole() {
  const api = useApi()
  const setup = ref<MemberRoleSetup | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  let asked: string | null = null

  /** Loads the setup of `accountId`; a late answer for an account no longer asked for is dropped. */
  async function load(accountId: string) {
    asked = accountId
    loading.value = true
    error.value = null
    // Another account's commands must not stay on screen while this one's load.
    if (setup.value?.accountId !== accountId) setup.value = null
    try {
      const answer = await api<MemberRoleSetup>('/api/setup/member-role', { query: { accountId } })
      if (asked === accountId) setup.value = answer
    }
    catch (e) {
      if (asked === accountId) {
        setup.value = null
        error.value = apiErrorMessage(e)
      }
    }
    finally {
      if (asked === accountId) loading.value = false
    }
  }

  return {
    setup,
    loading,
    error,
    load,
    /** Asks again for the last account. */
    retry: () => (asked ? load(asked) : Promise.resolve()),
  }
}

/** The distinct account ids of the first 100 rules, to pick from: one request, and empty when it fails. */
export function useRuleAccountIds() {
  const api = useApi()
  const accountIds = ref<string[]>([])

  async function load() {
    try {
      const page = await api<Page<RuleView>>('/api/rules', { query: { limit: 100 } })
      accountIds.value = [...new Set(page.items.flatMap(r => r.accountIds))].sort()
    }
    catch {
      // Only a convenience: the account id can always be typed.
      accountIds.value = []
    }
  }

  return { accountIds, load }
}
