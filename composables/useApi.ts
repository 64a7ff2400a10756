// One fetcher for every composable: adds the API key header when there is one, and reads the API's errors
// (h3's JSON error: statusMessage, and data.issues [{ path, message }] for validation errors).
import type { FieldIssue } from '#shared/schemas/issue'

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

/** The per-field issues of a 400, empty for any other error. */
export function apiFieldIssues(e: unknown): FieldIssue[] {
  return (e as ApiErrorShape)?.data?.data?.issues ?? []
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
