// KV v2 calls through hashi-vault-js against the vault-emulator, driven by NodeVaultClientTest.
// Reads a plan as JSON on stdin (stdin keeps tokens out of the process list):
//   {baseUrl: "http://127.0.0.1:PORT/v1", mount: "secret", steps: [{op, token, name, ...}]}
// and prints one JSON line: {results: [{ok: true, value} | {ok: false, status, body, message}]}.
// Steps run in order; a failed step does not stop the next one.
import Vault from 'hashi-vault-js';

// hashi-vault-js prints the whole failed response (request headers with the token included) with
// console.log when updateKVSecret fails; stdout carries our JSON and tokens belong in no output.
console.log = () => {};

async function readStdin() {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) {
    text += chunk;
  }
  return text;
}

function call(vault, mount, step) {
  const { op, token, name } = step;
  switch (op) {
    case 'create': // cas 0: only if the key does not exist yet
      return vault.createKVSecret(token, name, step.data, mount);
    case 'update': // check-and-set against step.cas
      return vault.updateKVSecret(token, name, step.data, step.cas, mount);
    case 'read':
      return vault.readKVSecret(token, name, step.version, mount);
    case 'metadata':
      return vault.readKVSecretMeta(token, name, mount);
    case 'list':
      return vault.listKVSecrets(token, name, mount);
    case 'delete':
      return vault.deleteVersionsKVSecret(token, name, step.versions, mount);
    case 'deleteLatest':
      return vault.deleteLatestVerKVSecret(token, name, mount);
    case 'undelete':
      return vault.undeleteVersionsKVSecret(token, name, step.versions, mount);
    case 'destroy':
      return vault.destroyVersionsKVSecret(token, name, step.versions, mount);
    case 'deleteMetadata':
      return vault.eliminateKVSecret(token, name, mount);
    default:
      throw new Error('unknown op ' + op);
  }
}

const plan = JSON.parse(await readStdin());
const vault = new Vault({ baseUrl: plan.baseUrl, timeout: 10000 });
const results = [];
for (const step of plan.steps) {
  try {
    results.push({ ok: true, value: (await call(vault, plan.mount, step)) ?? null });
  } catch (err) {
    const response = err.response;
    results.push({
      ok: false,
      status: response ? response.status : null,
      body: response ? response.data ?? null : null,
      message: response ? null : String(err.message),
    });
  }
}
process.stdout.write(JSON.stringify({ results }) + '\n');
