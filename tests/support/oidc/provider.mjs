// A real OpenID Connect provider (panva's oidc-provider) on loopback, for vendorvet's SSO tests only.
//
// Environment: OIDC_PORT (listen on 127.0.0.1), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI,
// OIDC_ACCOUNTS (a JSON file {"<login>": {"email": ..., "name": ..., "groups": [...]}} read at every
// login, so a test can change a user's groups between two logins).
// The built-in development login form accepts any login name with any password; consent is granted
// automatically for the one test client. Prints "ready <issuer>" when it listens.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const accountsFile = process.env.OIDC_ACCOUNTS;

function loadAccounts() {
  return JSON.parse(readFileSync(accountsFile, 'utf8'));
}

const configuration = {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID,
    client_secret: process.env.OIDC_CLIENT_SECRET,
    redirect_uris: [process.env.OIDC_REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  cookies: { keys: ['vendorvet-test-only-cookie-key'] },
  pkce: { required: () => true },
  // Keycloak and Entra put the groups into the ID token; so does this provider.
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    const account = loadAccounts()[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        const current = loadAccounts()[id] || {};
        return {
          sub: id,
          email: current.email,
          email_verified: true,
          name: current.name,
          preferred_username: id,
          groups: current.groups || [],
        };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile groups');
    await grant.save();
    return grant;
  },
};

const provider = new Provider(issuer, configuration);
provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
