// A tiny JSON client for the API tests: method, path, body, and the x-api-key to send (or none).

export interface ApiAnswer {
  status: number
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
  body: any
  headers: Headers
}

/** Answers a `call(method, path, body?, key?)` bound to a server URL and a default key. */
export function apiClient(url: () => string, defaultKey: string | null) {
  return async function call(method: string, path: string, body?: unknown, key: string | null = defaultKey): Promise<ApiAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (key) headers['x-api-key'] = key
    const res = await fetch(`${url()}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await res.text()
    let json: unknown
    try {
      json = JSON.parse(text)
    }
    catch {
      json = text
    }
    return { status: res.status, body: json, headers: res.headers }
  }
}
