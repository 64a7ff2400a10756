// POST /api/admin/reconcile: repair every schedule now (admin key), the rules' and the reverts' one-time schedules
// (reverts.ts: missing, drifted, orphan, and a skip-until tag that changed); tells `schedule.drift` what it repaired;
// answers the report.
export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { schedules } = await useServices()
  const report = await reconcileSchedules(schedules)
  const { reconcileReverts } = await import('../../utils/executor/revert')
  const reverts = await reconcileReverts(await useExecutorDeps())
  await notifyReconcile(report, reverts)
  return { ...report, reverts }
})
