// The part of autocannon 9's API that bench/load.ts uses (the package ships no types).
declare module 'autocannon' {
  interface Request {
    setupRequest?: (request: { headers?: Record<string, string> }) => unknown
  }
  interface Options {
    url: string
    connections?: number
    duration?: number
    amount?: number
    timeout?: number
    requests?: Request[]
  }
  function autocannon(options: Options): Promise<unknown>
  export default autocannon
}
