// Lambda build only: lets h3 tell a web Response apart without loading undici.
// h3 checks every handler's answer with `typeof Response !== "undefined" && data instanceof Response`, and in Node
// reading the Response global loads undici: about 15 ms of a cold start's first answer, for answers that are plain
// objects. Here a value must first carry Response's own tag (Symbol.toStringTag, which every web Response has) before
// the global is read, so the check is the same for real Responses and free for everything else.
import { patchDependency } from './patch-dependency'

export const H3_WEB_RESPONSE = {
  name: 'h3-web-response',
  pkg: 'h3',
  file: /\/node_modules\/h3\/dist\/index\.mjs$/,
  find: 'return typeof Response !== "undefined" && data instanceof Response;',
  replace: 'return data?.[Symbol.toStringTag] === "Response" && typeof Response !== "undefined" && data instanceof Response;',
}

export const h3WebResponseCheck = () => patchDependency(H3_WEB_RESPONSE)
