import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { TranslatableUserError } from "../shared/user-error.js";

/** Writes beside the target, then renames: a reader never sees half a file, and a failure leaves none behind. */
export async function writeAtomically(file: string, bytes: Buffer | string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temporary, bytes, { flag: "wx" });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    const detail = code ?? (error instanceof Error ? error.message : String(error));
    throw new TranslatableUserError("operator.reasons.cannotWrite", { file, detail }, `--out: cannot write ${file} (${detail})`);
  }
}
