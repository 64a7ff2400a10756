// GET /api/openapi.json: the OpenAPI 3.1 document of every /api route, public like /api/health. Built on the first
// request and kept: the generator and the answer schemas load here, by a dynamic import, never at a cold start.
let document: Promise<object> | undefined

export default defineApiHandler(async () => {
  document ??= import('../openapi/document').then(m => m.buildOpenApiDocument())
  // A failed build of the document is not kept: the next request tries again.
  return document.catch((error) => {
    document = undefined
    throw error
  })
})
