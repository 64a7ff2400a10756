// Lambda build only: a Rollup plugin that lets h3 tell a web Response apart without loading undici.
// h3 checks every handler's answer with `typeof Response !== "undefined" && data instanceof Response`, and in Node
// reading the Response global loads undici: about 15 ms of a cold start's first answer, for answers that are plain
// objects. Here a value must first carry Response's own tag (Symbol.toStringTag, which every web Response has) before
// the global is read, so the check is the same for real Responses and free for everything else.
const H3_DIST = /\/node_modules\/h3\/dist\/index\.mjs$/
const CHECK = 'return typeof Response !== "undefined" && data instanceof Response;'
const TAGGED_CHECK = 'return data?.[Symbol.toStringTag] === "Response" && typeof Response !== "undefined" && data instanceof Response;'

export function h3WebResponseCheck() {
  return {
    name: 'ouroboros:h3-web-response-check',
    transform(code: string, id: string) {
      if (!H3_DIST.test(id)) return null
      // A new h3 that words the check differently must be looked at again, not silently left slow.
      if (!code.includes(CHECK)) throw new Error(`h3-web-response: h3's isWebResponse changed (${id}); see infra/lambda/h3-web-response.ts`)
      return { code: code.replace(CHECK, TAGGED_CHECK), map: null }
    },
  }
}
