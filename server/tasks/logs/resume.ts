// Task logs:resume: finish the runs over several accounts that no delivery finished (a Lambda killed after its last
// retry), or log those too old to finish. Started every few minutes by a schedule of the templates; locally, the
// in-process scheduler's reconcile does the same.
export default defineTask({
  meta: { name: 'logs:resume', description: 'Finish, or log, the interrupted runs over several accounts' },
  async run() {
    return { result: await resumeRuns() }
  },
})
