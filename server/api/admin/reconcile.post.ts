// POST /api/admin/reconcile: repair every schedule now (admin key), the rules' and the reverts' one-time schedules
// (reverts.ts: missing, drifted, orphan, and a skip-until tag that changed) and the databases' follow-up checks
// (follow-up-reconcile.ts: overdue ones run, lost ones armed again), the savings of runs whose record was lost
// (savings/replay.ts) and of instances terminated while off (savings/gone.ts); tells `schedule.drift` what it repaired;
// answers the report.
export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { schedules } = await useServices()
  const report = await reconcileSchedules(schedules)
  return { ...report, ...await reconcileAfterSchedules(report) }
})
