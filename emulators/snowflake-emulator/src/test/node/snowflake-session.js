'use strict';
// One session of the official Snowflake Node.js driver against the snowflake-emulator, driven by
// NodeDriverTest. Reads a plan as JSON on stdin (stdin keeps the private key out of the process
// list): {accessUrl, account, username, privateKey (PKCS#8 PEM), role?, statements: [sql, ...]}.
// Prints one JSON line: {login: {ok, code, message}, results: [{ok, rows | code, sqlState, message}]}.
// Statements run only after a successful login, one after another; a failed statement does not
// stop the next one.
const snowflake = require('snowflake-sdk');

function readStdin() {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => (text += chunk));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}

function failure(err) {
  // err.code is the Snowflake error code (390144, 3001, ...) as the driver reports it.
  return {
    ok: false,
    code: err.code === undefined ? null : String(err.code),
    sqlState: err.sqlState === undefined ? null : err.sqlState,
    message: String(err.message),
  };
}

function connect(connection) {
  return new Promise((resolve) => {
    connection.connect((err) => resolve(err ? failure(err) : { ok: true }));
  });
}

function execute(connection, sqlText) {
  return new Promise((resolve) => {
    connection.execute({
      sqlText,
      complete: (err, _statement, rows) => resolve(err ? failure(err) : { ok: true, rows }),
    });
  });
}

async function main() {
  const plan = JSON.parse(await readStdin());
  // OFF: the driver would otherwise log to a file in the working directory.
  snowflake.configure({ logLevel: 'OFF' });
  const options = {
    accessUrl: plan.accessUrl,
    account: plan.account,
    username: plan.username,
    authenticator: 'SNOWFLAKE_JWT',
    privateKey: plan.privateKey,
  };
  if (plan.role) {
    options.role = plan.role;
  }
  const connection = snowflake.createConnection(options);
  const login = await connect(connection);
  const results = [];
  if (login.ok) {
    for (const sqlText of plan.statements || []) {
      results.push(await execute(connection, sqlText));
    }
    await new Promise((resolve) => connection.destroy(() => resolve()));
  }
  process.stdout.write(JSON.stringify({ login, results }) + '\n');
}

main().catch((err) => {
  process.stderr.write('snowflake-session.js: ' + (err && err.stack ? err.stack : err) + '\n');
  process.exit(2);
});
