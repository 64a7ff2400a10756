// GET /api/auth/whoami: who the x-api-key header belongs to (any valid key), so the UI can show its name and scope.
export default defineApiHandler((event) => {
  const { id, name, scope } = requireKey(event)
  return { id, name, scope }
})
