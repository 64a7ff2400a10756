// A rule's name comes from the path of PUT /api/rules/:name; a body may repeat it, but a different one is a rename,
// which is refused: the name is the rule's key and its schedule's name, so a renamed rule is a new rule.
import { RenameRefused } from '../errors'

/** Throws RenameRefused when `body` names a rule other than `name`. */
export function refuseRename(name: string, body: Record<string, unknown>): void {
  if (body.name !== undefined && body.name !== name) throw new RenameRefused(name, String(body.name))
}
