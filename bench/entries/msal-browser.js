export { PublicClientApplication } from '@azure/msal-browser';
