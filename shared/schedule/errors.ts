import { issueMessage } from '../schemas/issue'
import type { Issue, IssueCode, IssueParams } from '../schemas/issue'

/**
 * Thrown when a schedule expression is not valid AWS EventBridge Scheduler syntax.
 * The message is written for a person in English; `code` and `params` let the UI say it in the user's language.
 */
export class ScheduleExpressionError extends Error {
  override readonly name = 'ScheduleExpressionError'
  readonly params: IssueParams
  constructor(readonly code: IssueCode, params: IssueParams = {}) {
    super(issueMessage(code, params))
    this.params = params
  }

  /** The problem as an issue: code, parameters and English message. */
  get issue(): Issue {
    return { code: this.code, params: this.params, message: this.message }
  }
}
