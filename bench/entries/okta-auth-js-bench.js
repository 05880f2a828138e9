// Speed benchmarks only (not a size row): OktaAuth plus the two helpers its own getToken()
// uses to build the authorize URL, so the page can time URL building without navigating.
export { OktaAuth, buildAuthorizeParams, getOAuthUrls } from '@okta/okta-auth-js';
