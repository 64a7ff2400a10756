// GET /api/auth/whoami: who the x-api-key header belongs to, so the UI can show the key's name.
export default defineApiHandler((event) => {
  requireAdmin(event)
  return { name: 'admin', scope: 'admin' }
})
