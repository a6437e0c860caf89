// Types for `import '@oidc-device-login/react/styles.css'`: the import has no bindings, but TypeScript 6 checks
// that a side-effect import resolves (noUncheckedSideEffectImports), and a project without a `*.css` module
// declaration (Vite's `vite/client` has one; plain tsc, Node tools and some frameworks do not) would get TS2882.
export {};
