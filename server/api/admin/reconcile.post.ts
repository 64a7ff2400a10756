// POST /api/admin/reconcile: repair every schedule now (admin key), the rules' and the reverts' one-time schedules
// (reverts.ts: missing, drifted, orphan, and a skip-until tag that changed); answers the report.
export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { schedules } = await useServices()
  const report = await reconcileSchedules(schedules)
  const { reconcileReverts } = await import('../../utils/executor/revert')
  return { ...report, reverts: await reconcileReverts(await useExecutorDeps()) }
})
