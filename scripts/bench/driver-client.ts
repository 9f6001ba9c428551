import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { listCriteria } from "../../src/domain/questionnaire/definition-index.js";
import type { IndexDefinition } from "../../src/domain/questionnaire/definition-schema.js";
import type { BenchQuestion, DriverCommand, DriverReport } from "./load-driver.js";

/** The load driver process: fake Bot API, members and baseline client (scripts/bench/load-driver.ts). */
export interface Driver {
  readonly apiRoot: string;
  request(command: DriverCommand): Promise<DriverReport>;
  stop(): Promise<void>;
}

export async function startDriver(): Promise<Driver> {
  const child = fork(fileURLToPath(new URL("./load-driver.ts", import.meta.url)), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = (): Promise<DriverReport> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load driver exited (${code})`));
      child.once("exit", onExit);
      child.once("message", (message) => {
        child.off("exit", onExit);
        resolve(message as DriverReport);
      });
    });
  const ready = await next();
  if (ready.type !== "ready") throw new Error("load driver did not start");
  return {
    apiRoot: ready.apiRoot,
    async request(command) {
      const reply = next();
      child.send(command);
      const report = await reply;
      if (report.type === "failed") throw new Error(`load driver: ${report.error}`);
      return report;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send({ type: "stop" } satisfies DriverCommand);
      await exited;
    },
  };
}

/** The questions as members answer them: criterion id, answer type, option ids. */
export function benchQuestions(definition: IndexDefinition): BenchQuestion[] {
  return listCriteria(definition).map(({ criterion }) => ({
    id: criterion.id,
    type: criterion.answer.type,
    options: "options" in criterion.answer ? criterion.answer.options.map((o) => o.id) : [],
  }));
}
