// Checks Cypher statements against Neo4j's own Cypher 5 front end, offline.
//
// Why: the hub's statements must run on both FalkorDB and Neo4j 5, and CI has
// no Neo4j server. `@neo4j-cypher/language-support` ships Neo4j's parser and
// semantic analysis compiled to JavaScript, so syntax errors, undefined
// variables, removed syntax and unknown functions/procedures are caught here.
// Driven by graph/cypher_lint.py; one process lints every statement, because
// start-up (~1-2 s) costs far more than a statement (~35 ms).
//
// stdin:  JSON array of {"name": str, "text": str}
// stdout: JSON array of {"name", "errors": [{message, line, column}], "warnings": [...]}
//         in input order; line and column are 1-based.

import {
  isNotParamError,
  lintCypherQuery,
  parseStatementsStrs,
  testData,
} from '@neo4j-cypher/language-support';

const VERSION = 'CYPHER 5';

function pick(registry, keep) {
  return Object.fromEntries(Object.entries(registry).filter(([name, sig]) => keep(name, sig)));
}

// Neo4j's built-in functions and db./dbms./tx. procedures, so that a call to a
// FalkorDB-only function or procedure (distance(), db.idx.fulltext.*) is an
// error, and so is an APOC/GDS call (plugins the hub must not rely on). No
// labels, relationship types or property keys: with those absent the library
// skips its "… is not present in the database" warnings entirely (our labels
// come from graph.model and need no second check here).
const mock = testData.mockSchema;
const DB_SCHEMA = {
  defaultLanguage: VERSION,
  functions: { [VERSION]: pick(mock.functions[VERSION], (_, sig) => sig.isBuiltIn === true) },
  procedures: { [VERSION]: pick(mock.procedures[VERSION], (name) => /^(db|dbms|tx)\./.test(name)) },
};

// Leading whitespace and comments, to find what a statement really starts with.
const LEADING_TRIVIA = /^(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/;

function problem(message, line = 1, column = 1) {
  return { message, line, column };
}

// Things Neo4j 5 (or our drivers' one-statement-per-run contract) rejects but
// the front end accepts.
function ownChecks(text) {
  const statements = parseStatementsStrs(text);
  if (statements.length === 0) {
    return [problem('empty query')];
  }
  const errors = [];
  const body = text.replace(LEADING_TRIVIA, '');
  if (/^CYPHER\b/i.test(body)) {
    // `CYPHER 25`, `CYPHER 5`, `CYPHER runtime=…`: the version and planner are
    // the server's choice; a prefix would pin one backend's dialect.
    errors.push(problem('a CYPHER version/option prefix is not allowed'));
  }
  if (statements.length > 1) {
    errors.push(problem(`${statements.length} statements in one query; declare one statement each`));
  } else if (/;\s*$/.test(statements[0])) {
    // Our choice: even a single trailing `;` is an error. It has no use in a
    // driver call and engines differ on whether they accept it.
    errors.push(problem('trailing `;` is not allowed'));
  }
  return errors;
}

function lintOne({ name, text }) {
  const errors = [];
  const warnings = [];
  if (typeof text !== 'string') {
    return { name, errors: [problem('statement text is not a string')], warnings };
  }
  errors.push(...ownChecks(text));
  let diagnostics = [];
  try {
    ({ diagnostics } = lintCypherQuery(text, DB_SCHEMA, { consoleCommandsEnabled: false }));
  } catch (exc) {
    errors.push(problem(`front end crashed: ${exc?.message ?? exc}`));
  }
  // isNotParamError is true for every diagnostic except "Parameter $x is not
  // defined." (we pass no parameter values, every $param would be flagged).
  for (const d of diagnostics.filter(isNotParamError)) {
    const item = problem(d.message, d.range.start.line + 1, d.range.start.character + 1);
    (d.severity === 1 ? errors : warnings).push(item);
  }
  return { name, errors, warnings };
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const items = JSON.parse(await readStdin());
if (!Array.isArray(items)) {
  throw new TypeError('stdin must be a JSON array of {"name", "text"}');
}
process.stdout.write(JSON.stringify(items.map(lintOne)));
