#!/usr/bin/env node
// `npm run officer -- …`: police accounts from a terminal, for the deployer.
//
//   npm run officer -- create --login wei.li --name 韦立 --roles admin[,finance…] [--env <envId>] [--as <adminLogin>]
//   npm run officer -- key --name 车管所导入 --as <adminLogin> [--env <envId>]
//
// create: the first administrator through `bootstrapOfficer` with the bootstrap secret (ADMIN_TOKEN in the
// environment); once an administrator exists, pass --as <their login> to sign in (password and TOTP code asked for)
// and create the officer with `createOfficer`, which prints a temporary password: the officer enrols (own password,
// own TOTP) at first sign-in. The first administrator's password comes from OFFICER_PASSWORD or is asked for
// without echo; their TOTP secret and otpauth:// URI are printed once: add them to an authenticator app now.
// key: an integration key for the registry's own systems, created by the administrator named by --as; shown once.
//
// Without --env it talks to the local cloud (http://127.0.0.1:${PORT:-3000}/functions/admin). With --env it calls
// the real environment through WeChat's HTTP API (tcb/invokecloudfunction), with an access token from
// WX_APPID / WX_APPSECRET (cgi-bin/stable_token). The acting administrator's password and code may also come from
// SIGNIN_PASSWORD and SIGNIN_TOTP. Passwords are never printed.
import readline from 'node:readline';

const USAGE = [
  'usage: npm run officer -- create --login <login> --name <name> --roles admin[,finance,dataImport,faultHandling,audit]',
  '                              [--env <envId>] [--as <adminLogin>]',
  '       npm run officer -- key --name <keyName> --as <adminLogin> [--env <envId>]',
].join('\n');

function option(args, name) {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

/** One line from the terminal; `hidden` keeps what is typed off the screen. */
function ask(question, hidden = false) {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    if (hidden) {
      // readline echoes each key through this method: let the question through, nothing typed after it
      rl._writeToOutput = (text) => {
        if (text.includes(question)) process.stdout.write(question);
      };
    }
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stdout.write('\n');
      resolve(answer);
    });
  });
}

async function json(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${url.split('?')[0]} answered HTTP ${response.status}: ${text.slice(0, 200)}`);
  }
}

/** A function that sends one event to `admin` and resolves with its envelope. */
async function transport(envId) {
  if (envId === undefined) {
    const url = `http://127.0.0.1:${process.env.PORT || 3000}/functions/admin`;
    return (event) => json(url, event);
  }
  const appid = process.env.WX_APPID;
  const secret = process.env.WX_APPSECRET;
  if (!appid || !secret) throw new Error('--env needs WX_APPID and WX_APPSECRET in the environment');
  const token = await json('https://api.weixin.qq.com/cgi-bin/stable_token', {
    grant_type: 'client_credential',
    appid,
    secret,
  });
  if (!token.access_token) throw new Error(`stable_token refused: ${token.errcode} ${token.errmsg}`);
  const url =
    `https://api.weixin.qq.com/tcb/invokecloudfunction?access_token=${encodeURIComponent(token.access_token)}` +
    `&env=${encodeURIComponent(envId)}&name=admin`;
  return async (event) => {
    const reply = await json(url, event);
    if (reply.errcode !== 0) throw new Error(`invokecloudfunction refused: ${reply.errcode} ${reply.errmsg}`);
    return JSON.parse(reply.resp_data);
  };
}

function must(reply, what) {
  if (!reply || reply.ok !== true)
    throw new Error(`${what} failed: ${reply?.code ?? '?'} ${reply?.message ?? JSON.stringify(reply)}`);
  return reply.data;
}

/** A session of the administrator named by --as (password and TOTP code from the environment or the terminal). */
async function signIn(call, login) {
  const password = process.env.SIGNIN_PASSWORD || (await ask(`${login} 的密码: `, true));
  const totp = process.env.SIGNIN_TOTP || (await ask(`${login} 的动态验证码: `));
  return must(await call({ action: 'signIn', login, password, totp: totp.trim() }), 'signIn').sessionToken;
}

function printSecret(made) {
  console.log(`\nofficer ${made.officer.login} (${made.officer.name}), roles ${made.officer.roles.join(', ')}`);
  console.log("Add this to the officer's authenticator app now; it is not shown again:");
  console.log(`  secret: ${made.totpSecret}`);
  console.log(`  uri:    ${made.otpauthUri}`);
}

async function create(args, call) {
  const login = option(args, 'login');
  const name = option(args, 'name');
  const roles = (option(args, 'roles') ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (!login || !name || roles.length === 0) throw new Error(USAGE);
  const as = option(args, 'as');
  if (as === undefined) {
    const password = process.env.OFFICER_PASSWORD || (await ask(`${login} 的新密码（至少 12 个字符）: `, true));
    if (!process.env.OFFICER_PASSWORD && (await ask('再输入一次: ', true)) !== password)
      throw new Error('the two passwords differ');
    const adminToken = process.env.ADMIN_TOKEN;
    if (!adminToken)
      throw new Error('the first administrator needs ADMIN_TOKEN (the bootstrap secret) in the environment');
    printSecret(
      must(await call({ action: 'bootstrapOfficer', adminToken, login, name, password, roles }), 'bootstrapOfficer'),
    );
    return;
  }
  const credential = await signIn(call, as);
  // the officer enrols (own password, own authenticator) at first sign-in: only a temporary password is handed over
  const made = must(await call({ action: 'createOfficer', credential, login, name, roles }), 'createOfficer');
  console.log(`\nofficer ${made.officer.login} (${made.officer.name}), roles ${made.officer.roles.join(', ')}`);
  console.log('Hand this temporary password to the officer; they set their own and their TOTP at first sign-in:');
  console.log(`  ${made.temporaryPassword}`);
  await call({ action: 'signOut', credential });
}

async function key(args, call) {
  const name = option(args, 'name');
  const as = option(args, 'as');
  if (!name || !as) throw new Error(USAGE);
  const credential = await signIn(call, as);
  const made = must(await call({ action: 'createIntegrationKey', credential, name }), 'createIntegrationKey');
  await call({ action: 'signOut', credential });
  console.log(`\nintegration key ${made.item.keyId} (${made.item.name}); store it now, it is not shown again:`);
  console.log(`  ${made.key}`);
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (command !== 'create' && command !== 'key') throw new Error(USAGE);
  const call = await transport(option(args, 'env'));
  if (command === 'create') await create(args, call);
  else await key(args, call);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
