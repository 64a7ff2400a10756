// POST /api/admin/reconcile: repair every schedule now (admin key); answers the report.
export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { schedules } = await useServices()
  return reconcileSchedules(schedules)
})
