// The OpenID Connect provider the tests sign in against: panva's oidc-provider (the npm package package.json pins),
// configured like a municipality's provider and served on 127.0.0.1.
//
//   node tests/oidc/provider.mjs <port>        (OIDC_TEST_JWKS: a file with the private JWKS to sign with)
//
// One confidential client (client_secret_basic, PKCE required), ID tokens signed RS256 with the keys the tests
// made, the claims email, name and groups in the ID token, RP-initiated logout. Its login page asks for a username
// and a password; consent is given without a page. The tests drive it over a few /__test endpoints:
//   POST /__test/reset     {"redirect_uris": [...], "post_logout_redirect_uris": [...]}: forget every session,
//                          grant, code and account; register the client with these URIs
//   POST /__test/accounts  {"sub", "username", "password", "email", "name", "groups"}: someone who may sign in
//   GET  /__test/logouts   the query strings the sign-out endpoint was called with
// Node modules come from OIDC_PROVIDER_MODULES (the cache directory scripts/ensure-test-tools installs into).

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const port = Number(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;
const modules = process.env.OIDC_PROVIDER_MODULES;
const entry = createRequire(join(modules, 'package.json')).resolve('oidc-provider');
const { default: Provider } = await import(pathToFileURL(entry).href);

const CLIENT = { client_id: 'impact-test', client_secret: 'impact-test-secret' };

// Everything the provider stores (sessions, grants, codes, interactions, the client) in one map that a reset empties.
const store = new Map();
const accounts = new Map();
const logouts = [];

class MemoryAdapter {
  constructor(model) {
    this.model = model;
  }

  key(id) {
    return `${this.model}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
    if (payload.uid) store.set(`uid:${payload.uid}`, this.key(id));
    if (payload.userCode) store.set(`userCode:${payload.userCode}`, this.key(id));
  }

  async find(id) {
    const entry = store.get(this.key(id));
    if (!entry || (entry.expiresAt && entry.expiresAt < Date.now())) return undefined;
    return entry.payload;
  }

  async findByUid(uid) {
    const key = store.get(`uid:${uid}`);
    return key ? store.get(key)?.payload : undefined;
  }

  async findByUserCode(userCode) {
    const key = store.get(`userCode:${userCode}`);
    return key ? store.get(key)?.payload : undefined;
  }

  async consume(id) {
    const entry = store.get(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    store.delete(this.key(id));
  }

  async revokeByGrantId(grantId) {
    for (const [key, entry] of store) {
      if (entry?.payload?.grantId === grantId) store.delete(key);
    }
  }
}

const provider = new Provider(issuer, {
  adapter: MemoryAdapter,
  jwks: JSON.parse(readFileSync(process.env.OIDC_TEST_JWKS, 'utf8')),
  cookies: { keys: ['impact-test-cookie-key'] },
  // What a municipality's provider gives: the groups with the profile, and the claims in the ID token itself
  // (Impact reads the ID token; it does not call the userinfo endpoint).
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  renderError: (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('Sign-in error', `<h1>Sign-in error</h1><p>${escape(out.error)}: ${escape(out.error_description)}</p>`);
  },
  async findAccount(ctx, sub) {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      claims: async () => ({
        sub,
        email: account.email,
        email_verified: true,
        name: account.name,
        groups: account.groups ?? [],
      }),
    };
  },
});
provider.on('server_error', (ctx, error) => console.error('oidc-provider server_error', error));

function escape(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${escape(title)}</title></head>
<body><main>${body}</main></body></html>`;
}

async function logoutSource(ctx, form) {
  ctx.body = page(
    'Sign out',
    `<h1>Sign out of the test provider?</h1>${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`,
  );
}

async function postLogoutSuccessSource(ctx) {
  ctx.body = page('Signed out', '<h1>You are signed out</h1>');
}

function loginPage(uid, error) {
  const message = error ? `<p role="alert">${escape(error)}</p>` : '';
  return page(
    'Sign in',
    `<h1>Sign in to the test provider</h1>${message}
<form method="post" action="/interaction/${uid}/login">
<label for="username">Username</label> <input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label> <input id="password" name="password" type="password" required>
<button type="submit">Sign in</button>
</form>`,
  );
}

async function body(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res, status, type, text) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(text);
}

// The login step: a form; consent: granted without a page, as a municipality's own provider does for its apps.
async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (action === 'login' && req.method === 'POST') {
    const form = new URLSearchParams(await body(req));
    const account = [...accounts.values()].find((a) => a.username === form.get('username'));
    if (!account || account.password !== form.get('password')) {
      return send(res, 200, 'text/html; charset=utf-8', loginPage(uid, 'Wrong username or password.'));
    }
    return provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
  }
  if (details.prompt.name === 'login') {
    return send(res, 200, 'text/html; charset=utf-8', loginPage(uid));
  }
  const { prompt, params, session, grantId } = details;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
}

async function testControl(req, res, path) {
  if (path === '/__test/reset' && req.method === 'POST') {
    const { redirect_uris, post_logout_redirect_uris } = JSON.parse(await body(req));
    store.clear();
    accounts.clear();
    logouts.length = 0;
    store.set(`Client:${CLIENT.client_id}`, {
      payload: { ...CLIENT, redirect_uris, post_logout_redirect_uris, token_endpoint_auth_method: 'client_secret_basic' },
    });
    return send(res, 204, 'text/plain', '');
  }
  if (path === '/__test/accounts' && req.method === 'POST') {
    const account = JSON.parse(await body(req));
    accounts.set(account.sub, account);
    return send(res, 204, 'text/plain', '');
  }
  if (path === '/__test/logouts' && req.method === 'GET') {
    return send(res, 200, 'application/json', JSON.stringify(logouts));
  }
  return send(res, 404, 'text/plain', 'not found');
}

const handle = provider.callback();
const server = createServer(async (req, res) => {
  const url = new URL(req.url, issuer);
  try {
    if (url.pathname.startsWith('/__test/')) return await testControl(req, res, url.pathname);
    const match = url.pathname.match(/^\/interaction\/([^/]+)(?:\/(login))?$/);
    if (match) return await interaction(req, res, match[1], match[2]);
    if (url.pathname === '/session/end') logouts.push(Object.fromEntries(url.searchParams));
    return handle(req, res);
  } catch (error) {
    console.error(error);
    if (!res.headersSent) send(res, 500, 'text/plain', String(error));
  }
});
server.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
process.on('SIGTERM', () => process.exit(0));
// The tests hold this process's stdin: when they end, even killed, so does the provider.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
