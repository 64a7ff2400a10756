// The rules: list, read, create, replace, turn on or off and pause, delete, run now; and a preview of any settings.
import { RuleDetailAnswer, RulePageAnswer, RuleViewAnswer } from '#shared/answers/rule'
import { ExecutionPreviewAnswer, LogEntryAnswer, RunDispatchedAnswer } from '#shared/answers/log'
import { PreviewInputSchema, RunOptionsSchema } from '#shared/schemas/execution'
import { RulesQuerySchema } from '#shared/schemas/list'
import { VersionQuerySchema } from '#shared/schemas/params'
import { RuleInputSchema, RuleParamsSchema, RulePatchSchema, RuleUpdateSchema } from '#shared/schemas/rule'
import { notRequired, operation } from '../operation'

const rule = { schema: RuleViewAnswer, description: 'the rule, with its next run' }

export const paths = {
  '/api/rules': {
    get: operation({
      summary: 'A page of rules in name order, each with its next run',
      access: 'public',
      query: RulesQuerySchema,
      describe: { q: 'text to find in the name or description', cursor: 'the cursor the last page answered' },
      answers: { 200: { schema: RulePageAnswer, description: 'a page of rules' } },
    }),
    post: operation({
      summary: 'Create a rule (and its schedule)',
      access: 'admin',
      body: RuleInputSchema,
      answers: { 201: { schema: RuleViewAnswer, description: 'the rule created' } },
      errors: [409, 502],
    }),
  },
  '/api/rules/{name}': {
    get: operation({
      summary: 'One rule, with its next runs, the firings its calendars skip, and the state of its schedule',
      access: 'public',
      params: RuleParamsSchema,
      answers: { 200: { schema: RuleDetailAnswer, description: 'the rule' } },
      errors: [404],
    }),
    put: operation({
      summary: 'Replace a rule, guarded by the version you read',
      access: 'admin',
      params: RuleParamsSchema,
      body: RuleUpdateSchema,
      bodyShape: notRequired('name'),
      answers: { 200: rule },
      errors: [404, 409, 502],
    }),
    patch: operation({
      summary: 'Turn a rule on or off, or pause it until an instant (null ends the pause)',
      access: 'admin',
      params: RuleParamsSchema,
      body: RulePatchSchema,
      answers: { 200: rule },
      errors: [404, 409, 502],
    }),
    delete: operation({
      summary: 'Delete a rule (and its schedule)',
      access: 'admin',
      params: RuleParamsSchema,
      query: VersionQuerySchema,
      describe: { version: 'delete only if the stored version is still this one' },
      answers: { 200: { schema: RuleViewAnswer, description: 'the rule deleted' } },
      errors: [404, 409, 502],
    }),
  },
  '/api/rules/{name}/run': {
    post: operation({
      summary: 'Run a rule now, or with dryRun only look',
      access: 'admin',
      params: RuleParamsSchema,
      body: RunOptionsSchema,
      bodyRequired: false,
      answers: {
        200: { schema: ExecutionPreviewAnswer, description: 'a dry run: what a run would act on and skip; nothing acted on or logged' },
        201: { schema: LogEntryAnswer, description: 'the run\'s log entry' },
        202: { schema: RunDispatchedAnswer, description: 'in Lambda, a run over more accounts than NUXT_RUN_CHUNK_ACCOUNTS: it fanned out, and is running' },
      },
      errors: [404, 409],
    }),
  },
  '/api/preview': {
    post: operation({
      summary: 'Which instances a rule with these settings would act on or skip, and why, and what a stop rule sent with its schedule would save per month (projection, an estimate); acts on nothing',
      access: 'admin',
      body: PreviewInputSchema,
      answers: { 200: { schema: ExecutionPreviewAnswer, description: 'the instances and what a run would do to each; with a stop rule\'s schedule, its projected saving' } },
    }),
  },
}
