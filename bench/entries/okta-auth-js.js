export { OktaAuth } from '@okta/okta-auth-js';
