/*
 * Replaces jsonld.js's lib/platform-browser.js in the bundle: credpub never
 * lets jsonld.js fetch anything (contexts come from the bundle, see
 * contexts.js), so the XHR document loader and the global JsonLdProcessor
 * are left out.
 */
'use strict';
exports.setupDocumentLoaders = function() {};
exports.setupGlobals = function() {};
