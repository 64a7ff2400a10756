// Lambda build only: ofetch (Nitro's $fetch) without reading fetch or Headers when it loads; modules/lambda aliases
// `ofetch` here. In Node those globals are getters that load undici, about 15 ms of every cold start, while an API
// answer or a scheduled run never calls $fetch. Here they are read on first use, and otherwise this is ofetch's own
// createFetch. (#ofetch/shared is ofetch's shared chunk; plugins/ofetch-shared.ts checks the export names used here.)
import { c as createFetch, F as FetchError, a as createFetchError } from '#ofetch/shared'

/** globalThis.Headers, looked up when it is first constructed or inspected. */
// The target only has to be constructible: every trap answers from the real Headers.
export const Headers = new Proxy(function LazyHeaders() {}, {
  construct: (_target, args) => Reflect.construct(globalThis.Headers, args),
  get: (_target, key) => Reflect.get(globalThis.Headers, key),
  getPrototypeOf: () => Reflect.getPrototypeOf(globalThis.Headers),
}) as unknown as typeof globalThis.Headers

export const fetch: typeof globalThis.fetch = (...args) => globalThis.fetch(...args)
export const AbortController = globalThis.AbortController
export const ofetch = createFetch({ fetch, Headers, AbortController })
export const $fetch = ofetch
export { createFetch, createFetchError, FetchError }
