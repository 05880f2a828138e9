// What Vite's client types declare for import.meta.env (the React snippet of the package
// README reads its configuration there), without installing Vite for the types layer.
interface ImportMetaEnv {
  readonly VITE_OKTA_ISSUER: string;
  readonly VITE_OKTA_CLIENT_ID: string;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
