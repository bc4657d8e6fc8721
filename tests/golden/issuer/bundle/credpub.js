/* placeholder for verifier-js/dist/credpub.js: the whole-site golden does not depend on esbuild's output */
