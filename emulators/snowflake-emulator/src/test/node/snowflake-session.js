'use strict';
// Sessions of the official Snowflake Node.js driver against the snowflake-emulator, driven by
// NodeDriverTest. Reads a plan as JSON on stdin (stdin keeps private keys out of the process list):
//   {accessUrl, sessions: [{account, username, privateKey (PKCS#8 PEM), role?, statements: [sql]}]}
// and prints one JSON line: {sessions: [{login: {ok | code, sqlState, message},
//                                        results: [{ok, rows} | {ok: false, code, sqlState, message}]}]}.
// Sessions run one after another (each logs in, runs its statements, logs out), so a later session
// sees what an earlier one changed; statements run only after a successful login, and a failed
// statement does not stop the next one. One process for all: loading the driver takes seconds.
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

async function runSession(accessUrl, session) {
  const options = {
    accessUrl,
    account: session.account,
    username: session.username,
    authenticator: 'SNOWFLAKE_JWT',
    privateKey: session.privateKey,
  };
  if (session.role) {
    options.role = session.role;
  }
  const connection = snowflake.createConnection(options);
  const login = await connect(connection);
  const results = [];
  if (login.ok) {
    for (const sqlText of session.statements || []) {
      results.push(await execute(connection, sqlText));
    }
    await new Promise((resolve) => connection.destroy(() => resolve()));
  }
  return { login, results };
}

async function main() {
  const plan = JSON.parse(await readStdin());
  // OFF: the driver would otherwise log to a file in the working directory.
  snowflake.configure({ logLevel: 'OFF' });
  const sessions = [];
  for (const session of plan.sessions) {
    sessions.push(await runSession(plan.accessUrl, session));
  }
  process.stdout.write(JSON.stringify({ sessions }) + '\n');
}

main().catch((err) => {
  process.stderr.write('snowflake-session.js: ' + (err && err.stack ? err.stack : err) + '\n');
  process.exit(2);
});
