// One fetcher for every composable: adds the API key header when there is one, and reads the API's errors
// (h3's JSON error: statusMessage, and data.issues [{ path, code, params, message }] for validation errors).
import { issueOfMessage } from '#shared/schemas/issue'
import type { FieldIssue, Issue, IssueParams } from '#shared/schemas/issue'

interface ApiErrorShape {
  statusCode?: number
  statusMessage?: string
  message?: string
  data?: { statusMessage?: string, message?: string, data?: { issues?: FieldIssue[] } }
}

/** The HTTP status of a failed request, if it got an answer. */
export function apiStatus(e: unknown): number | undefined {
  return (e as ApiErrorShape)?.statusCode
}

/** The server's own message for a failed request, or the network error's. */
export function apiErrorMessage(e: unknown): string {
  const err = e as ApiErrorShape
  return err?.data?.statusMessage || err?.data?.message || err?.statusMessage || err?.message || String(e)
}

/** The per-field issues of a 400, empty for any other error. An issue without a code gets one from its message. */
export function apiFieldIssues(e: unknown): FieldIssue[] {
  const issues: Partial<FieldIssue>[] = (e as ApiErrorShape)?.data?.data?.issues ?? []
  return issues.map((i) => {
    const message = i.message ?? ''
    return { path: i.path ?? '', ...(i.code ? { code: i.code, params: i.params ?? {}, message } : issueOfMessage(message)) }
  })
}

/**
 * Says an issue in the user's language, in the words of the form: `issue.<code>` with the issue's parameters, or
 * the English message when the locale has no message for the code. A plain string (a server's message) is kept.
 */
export function useIssueText() {
  const { t, te } = useI18n()
  // A cron field's issue names the field by its English label, and what it allows: both said in the locale's words.
  // An outbound URL's issue names the kind of address it refused (server/utils/net/outbound.ts), said so too.
  function localParams(params: IssueParams = {}): IssueParams {
    const kind = `issue.addressKind.${params.kind}`
    const named = typeof params.kind === 'string' && te(kind) ? { ...params, kind: t(kind) } : params
    const field = `issue.cronField.${params.field}`
    if (typeof params.field !== 'string' || !te(`${field}.name`)) return named
    return { ...named, field: t(`${field}.name`), allowed: t(`${field}.allowed`) }
  }
  return (issue: Issue | string | undefined): string => {
    if (!issue) return ''
    if (typeof issue === 'string') return issue
    const key = `issue.${issue.code}`
    return te(key) ? t(key, { ...localParams(issue.params), message: issue.message }) : issue.message
  }
}

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  query?: Record<string, string | number | undefined>
  body?: unknown
}

export function useApi() {
  const auth = useApiKey()
  return async function api<T>(url: string, request: ApiRequest = {}): Promise<T> {
    try {
      const answer: unknown = await $fetch(url, { ...request, body: request.body as Record<string, unknown>, headers: auth.headers() })
      return answer as T
    }
    catch (e) {
      // The key was revoked or changed on the server: drop it, and ask for a new one.
      if (apiStatus(e) === 401 && auth.signedIn.value) {
        auth.signOut()
        auth.dialogOpen.value = true
      }
      throw e
    }
  }
}
