// The real SDK packages behind the lazy stand-ins: modules/lambda aliases #aws-sdk/<client> to each package's own ES module.
declare module '#aws-sdk/client-ec2' {
  export * from '@aws-sdk/client-ec2'
}
declare module '#aws-sdk/client-sts' {
  export * from '@aws-sdk/client-sts'
}
declare module '#aws-sdk/client-scheduler' {
  export * from '@aws-sdk/client-scheduler'
}
// ofetch's shared chunk, where its entries import createFetch from (see lazy-fetch.ts).
declare module '#ofetch/shared' {
  import type { $Fetch, CreateFetchOptions, FetchError as OFetchError } from 'ofetch'

  export const c: (options?: CreateFetchOptions) => $Fetch
  export const F: typeof OFetchError
  export const a: (...args: unknown[]) => OFetchError
}
