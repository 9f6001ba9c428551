import { formatProblem, type DefinitionProblem } from "../domain/questionnaire/validate-definition.js";
import { UserError } from "../shared/user-error.js";

/**
 * A definition file with problems: the English lines as the message, and the problems themselves (the first
 * MAX_LISTED_PROBLEMS, each with its rule when known) for a command to print in the operator's language.
 */
export class DefinitionFileError extends UserError {
  override name = "DefinitionFileError";
  constructor(
    readonly file: string,
    readonly problems: readonly DefinitionProblem[],
    readonly more: number,
  ) {
    super([...problems.map((p) => `${file}: ${formatProblem(p)}`), ...(more > 0 ? [`${file}: … and ${more} more problem(s)`] : [])].join("\n"));
  }
}
